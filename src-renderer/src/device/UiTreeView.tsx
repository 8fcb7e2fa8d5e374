/**
 * The `uiautomator dump` tree beside the screen: collapsible, searchable by text or resource id, with what
 * matters for consent dialogs — text, clickable, checkable, checked — visible at a glance.
 */
import type React from 'react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiDumpNode, UiTree } from '../../../src-preload/api';

function flatten(nodes: UiDumpNode[], out: UiDumpNode[] = []): UiDumpNode[] {
  for (const n of nodes) {
    out.push(n);
    flatten(n.children, out);
  }
  return out;
}

function label(n: UiDumpNode): string {
  const cls = n.className.split('.').pop() ?? '';
  return n.text || n.contentDesc || (n.resourceId ? n.resourceId.split('/').pop()! : cls);
}

function NodeRow({ node, depth, onHover }: { node: UiDumpNode; depth: number; onHover: (n: UiDumpNode | null) => void }): React.JSX.Element {
  const [open, setOpen] = useState(depth < 6);
  return (
    <li>
      <div
        className="node-row"
        style={{ paddingLeft: depth * 12 }}
        tabIndex={0}
        data-testid="ui-node"
        data-text={node.text}
        data-resource-id={node.resourceId}
        data-clickable={node.clickable}
        data-checkable={node.checkable}
        data-checked={node.checked}
        data-bounds={node.bounds.join(',')}
        onMouseEnter={() => onHover(node)}
        onMouseLeave={() => onHover(null)}
        onFocus={() => onHover(node)}
        onBlur={() => onHover(null)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight') setOpen(true);
          if (e.key === 'ArrowLeft') setOpen(false);
        }}
      >
        {node.children.length > 0 ? <button className="twisty" onClick={() => setOpen(!open)} aria-expanded={open} tabIndex={-1}>{open ? '▾' : '▸'}</button> : <span className="twisty" />}
        <span className="node-label">{label(node)}</span>
        <code className="muted small">{node.className.split('.').pop()}</code>
        {node.clickable && <code className="chip">clickable</code>}
        {node.checkable && <code className={node.checked ? 'chip warn' : 'chip'}>{node.checked ? 'checked' : 'checkable'}</code>}
      </div>
      {open && node.children.length > 0 && (
        <ul>{node.children.map((c, i) => <NodeRow key={i} node={c} depth={depth + 1} onHover={onHover} />)}</ul>
      )}
    </li>
  );
}

export function UiTreeView({ tree, onRefresh, onHover }: { tree: UiTree | null; onRefresh: () => void; onHover: (n: UiDumpNode | null) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q || !tree) return null;
    return flatten(tree.nodes).filter((n) => n.text.toLowerCase().includes(q) || n.resourceId.toLowerCase().includes(q) || n.contentDesc.toLowerCase().includes(q));
  }, [query, tree]);
  return (
    <aside className="ui-tree" aria-label={t('device.screen.tree')} data-testid="ui-tree">
      <div className="row">
        <strong>{t('device.screen.tree')}</strong>
        {tree && <span className="muted">{t('device.screen.nodes', { count: tree.nodeCount })}</span>}
        <span className="spacer" />
        <button onClick={onRefresh}>{t('device.screen.refreshTree')}</button>
      </div>
      <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('device.screen.search')} aria-label={t('device.screen.search')} data-testid="tree-search" />
      <ul className="tree">
        {matches
          ? matches.map((n, i) => <NodeRow key={i} node={{ ...n, children: [] }} depth={0} onHover={onHover} />)
          : tree?.nodes.map((n, i) => <NodeRow key={i} node={n} depth={0} onHover={onHover} />)}
      </ul>
    </aside>
  );
}
