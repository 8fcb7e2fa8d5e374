/**
 * Sessions: start one (phone, app, tester, case reference), and the list of every session with its app,
 * phone, tester, duration, events and state — search, open its timeline, resume, pause, close, delete (with
 * confirmation) or go to export it. A session whose files were changed by hand is listed with its problem.
 * An opened session becomes the guided workspace filling the window: the list and the form fold into one
 * header row (the form stays folded while a session records, until asked for).
 */
import type React from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { InstalledApp, SessionInfo, TimelineEntry } from '../../../src-preload/api';
import { api } from '../api-client';
import { callOrToast, pushToast, useStream } from '../workbench-state';
import { formatDuration } from './session-state';
import { EventLine } from '../logs/EventLine';
import { phoneName } from '../../../src-preload/phone-name';
import { visibleText as shown } from '../../../src-preload/visible-text';
import type { TemplateSummary } from '../../../src-preload/checklist';
import { GuidedSession } from '../checklist/GuidedSession';
import { ConfirmStop } from './SessionBar';
import { useStageTitle } from '../checklist/stage-titles';

const TESTER_KEY = 'apprights.tester';

export function SessionsPage({ sessions, onExport }: { sessions: SessionInfo[]; onExport: (id: string) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? sessions.filter((s) => [s.id, s.app.packageName, s.device.serial, s.device.model ?? '', s.tester, s.caseRef].some((v) => v.toLowerCase().includes(q))) : sessions;
  }, [sessions, query]);
  const opened = sessions.find((s) => s.id === open) ?? null;
  const recording = sessions.some((s) => s.state === 'recording');
  const [formOpen, setFormOpen] = useState(!recording);

  if (opened && !opened.problem) {
    const header = (
      <div className="workspace-head row" data-testid="workspace-head">
        <h1>{t('session.title')}</h1>
        <button onClick={() => setOpen(null)} data-testid="session-all">{t('session.list', { count: sessions.length })}</button>
        <button onClick={() => { setFormOpen(true); setOpen(null); }} data-testid="session-new">{t('session.new')}</button>
        <table className="grid session-current" data-testid="session-table">
          <tbody><SessionRow s={opened} selected compact onOpen={() => setOpen(null)} onExport={() => onExport(opened.id)} /></tbody>
        </table>
      </div>
    );
    return (
      <section className="page sessions-page workspace">
        <GuidedSession key={opened.id} session={opened} header={header} timeline={<SessionTimeline session={opened} />} />
      </section>
    );
  }

  return (
    <section className="page sessions-page">
      <h1>{t('session.title')}</h1>
      <details className="card new-session" open={formOpen} onToggle={(e) => setFormOpen(e.currentTarget.open)} data-testid="new-session">
        <summary><h2>{t('session.new')}</h2></summary>
        <NewSession onStarted={(id) => setOpen(id)} />
      </details>
      <div className="row list-tools">
        <h2>{t('session.list', { count: sessions.length })}</h2>
        <span className="spacer" />
        <input type="search" placeholder={t('session.search')} value={query} onChange={(e) => setQuery(e.target.value)} aria-label={t('session.search')} data-testid="session-search" />
      </div>
      {shown.length === 0 ? <p className="empty">{t('session.none')}</p> : (
        <table className="grid" data-testid="session-table">
          <thead><tr>
            <th>{t('session.col.app')}</th><th>{t('session.col.device')}</th><th>{t('session.col.tester')}</th>
            <th>{t('session.col.started')}</th><th>{t('session.col.duration')}</th><th>{t('session.col.events')}</th><th>{t('session.col.state')}</th><th>{t('session.col.actions')}</th>
          </tr></thead>
          <tbody>
            {shown.map((s) => <SessionRow key={s.id} s={s} selected={s.id === open} onOpen={() => setOpen(s.id === open ? null : s.id)} onExport={() => onExport(s.id)} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A session's row; `compact` is the workspace header's one line (no times or counts: the bar shows them). */
function SessionRow({ s, selected, compact = false, onOpen, onExport }: { s: SessionInfo; selected: boolean; compact?: boolean; onOpen: () => void; onExport: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [askingStop, setAskingStop] = useState(false);
  if (s.problem) {
    return <tr data-session={s.id}><td colSpan={7}><span className="mono">{s.id}</span><div className="bad small">{t('session.problem', { problem: s.problem })}</div></td><td /></tr>;
  }
  const remove = async (): Promise<void> => {
    if (confirm(t('session.confirmDelete', { id: s.id, app: s.app.packageName }))) await callOrToast('session.delete', { id: s.id });
  };
  return (
    <tr data-session={s.id} className={selected ? 'selected' : undefined}>
      <td><code>{shown(s.app.packageName)}</code>{!compact && <div className="muted small">{shown(s.caseRef)}</div>}{s.copyOf && <div className="warn small" data-testid="session-copy">{t('session.copyOf', { id: s.copyOf, folder: s.id })}</div>}</td>
      <td><span translate="no">{phoneName(s.device.manufacturer, s.device.model) || '—'}</span>{!compact && <div className="muted small"><code>{shown(s.device.serial)}</code></div>}</td>
      <td>{shown(s.tester)}</td>
      {!compact && <td>{new Date(s.startedAt).toLocaleString()}</td>}
      {!compact && <td className="mono">{formatDuration((s.endedAt ?? Date.now()) - s.startedAt)}</td>}
      {!compact && <td>{s.timeline.count}</td>}
      <td><span className={`session-state ${s.state}`}>{t(`session.state.${s.state}`)}</span>{s.state === 'recording' && s.phoneLink?.lostAt != null && <div className="bad small" data-testid="session-row-lost">{t('session.stateLost')}</div>}{s.recoveries.length > 0 && <div className="warn small">{t('session.recovered', { count: s.recoveries.length })}</div>}</td>
      <td className="actions">
        {!compact && <button onClick={onOpen} aria-expanded={selected}>{selected ? t('session.hide') : t('session.open')}</button>}
        {s.state === 'paused' && <button onClick={() => void callOrToast('session.resume', { id: s.id })}>{t('session.resume')}</button>}
        {s.state === 'recording' && <button onClick={() => void callOrToast('session.pause', { id: s.id })}>{t('session.pause')}</button>}
        {s.state !== 'closed' && <button onClick={() => setAskingStop(true)} data-testid="session-close">{t('session.stop')}</button>}
        {askingStop && <ConfirmStop session={s} onDone={() => setAskingStop(false)} />}
        <button onClick={onExport} data-testid="session-export">{t('session.export')}</button>
        {s.state !== 'recording' && <button onClick={() => void remove()}>{t('session.delete')}</button>}
      </td>
    </tr>
  );
}

function NewSession({ onStarted }: { onStarted: (id: string) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const devices = useStream('devices', 'devices.list') ?? [];
  const online = devices.filter((d) => d.state === 'device');
  const [serial, setSerial] = useState('');
  const [pkg, setPkg] = useState('');
  const [tester, setTester] = useState(() => localStorage.getItem(TESTER_KEY) ?? '');
  const [caseRef, setCaseRef] = useState('');
  const [apps, setApps] = useState<InstalledApp[]>([]);
  const [busy, setBusy] = useState(false);
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [template, setTemplate] = useState('');
  useEffect(() => {
    void api.call('checklist.templates', {}).then((o) => o.ok && setTemplates(o.value));
  }, []);
  const chosen = online.some((d) => d.serial === serial) ? serial : online[0]?.serial ?? '';
  const fallback = templates.find((x) => x.isDefault) ?? templates[0];
  const defaultTemplate = fallback ? `${fallback.id}@${fallback.version}` : '';

  useEffect(() => {
    if (!chosen) return;
    let live = true;
    void api.call('device.packages', { serial: chosen }).then((o) => live && o.ok && setApps(o.value));
    return () => {
      live = false;
    };
  }, [chosen]);

  const start = async (): Promise<void> => {
    setBusy(true);
    localStorage.setItem(TESTER_KEY, tester);
    const s = await callOrToast('session.start', { serial: chosen, packageName: pkg.trim(), tester: tester.trim(), caseRef: caseRef.trim() });
    const chosenTemplate = templates.find((x) => `${x.id}@${x.version}` === (template || defaultTemplate));
    if (s && chosenTemplate) await callOrToast('checklist.use', { sessionId: s.id, templateId: chosenTemplate.id, version: chosenTemplate.version });
    setBusy(false);
    if (s) onStarted(s.id);
  };

  const valid = !!chosen && /^[a-zA-Z][\w]*(\.[a-zA-Z][\w]*)+$/.test(pkg.trim()) && tester.trim().length > 0;
  return (
    <div className="new-session-body">
      {online.length === 0 ? <p className="muted">{t('session.noPhone')}</p> : (
        <form className="session-form" onSubmit={(e) => { e.preventDefault(); if (valid && !busy) void start(); }}>
          <label>{t('session.phone')}
            <select value={chosen} onChange={(e) => setSerial(e.target.value)} data-testid="new-session-phone">
              {online.map((d) => <option key={d.serial} value={d.serial}>{phoneName(d.manufacturer, d.model)} ({d.serial})</option>)}
            </select>
          </label>
          <label>{t('session.package')}
            <input list="session-apps" value={pkg} onChange={(e) => setPkg(e.target.value)} placeholder="com.example.app" required data-testid="new-session-package" />
            <datalist id="session-apps">{apps.map((a) => <option key={a.packageName} value={a.packageName} />)}</datalist>
          </label>
          <label>{t('session.tester')}
            <input value={tester} onChange={(e) => setTester(e.target.value)} maxLength={200} required data-testid="new-session-tester" />
          </label>
          <label>{t('session.caseRef')}
            <input value={caseRef} onChange={(e) => setCaseRef(e.target.value)} maxLength={200} data-testid="new-session-case" />
          </label>
          <label>{t('checklist.template')}
            <select value={template || defaultTemplate} onChange={(e) => setTemplate(e.target.value)} data-testid="new-session-template">
              {templates.map((x) => <option key={`${x.id}@${x.version}`} value={`${x.id}@${x.version}`}>{x.id} {x.version} ({t(`checklist.origin.${x.origin}`)})</option>)}
            </select>
          </label>
          <button className="primary" type="submit" disabled={!valid || busy} data-testid="new-session-start">{t('session.start')}</button>
        </form>
      )}
      <p className="muted small">{t('session.recordsHint')}</p>
    </div>
  );
}

function SessionTimeline({ session }: { session: SessionInfo }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const stageTitle = useStageTitle();
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const attachInput = useRef<HTMLInputElement>(null);
  const attach = async (file: File): Promise<void> => {
    const staged = await api.stageFile(file);
    if (!staged.ok) return pushToast({ error: staged.error });
    const r = await callOrToast('session.attach', { id: session.id, fileId: staged.value.fileId });
    if (r) pushToast({ error: null, message: t('session.attached', { name: file.name, seq: r.seq }) });
  };
  const count = session.timeline.count;
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void api.call('session.timeline', { id: session.id, afterSeq: Math.max(0, count - 300), limit: 300 }).then((o) => live && o.ok && setEntries(o.value.entries));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [session.id, count]);
  return (
    <div className="card session-timeline" data-testid="session-timeline">
      <div className="row">
        <h2><Trans i18nKey="session.timeline" values={{ id: session.id }} components={{ code: <code /> }} /></h2>
        <span className="spacer" />
        {session.state !== 'closed' && <button onClick={() => attachInput.current?.click()} data-testid="session-attach">{t('session.attach')}</button>}
        <input ref={attachInput} type="file" hidden data-testid="session-attach-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void attach(f); }} />
      </div>
      <dl className="details">
        <div><dt>{t('session.col.app')}</dt><dd><code>{session.app.packageName}</code> <code>{session.app.versionName ?? ''}</code> {session.app.apkSha256 && <>· APK SHA-256 <code>{session.app.apkSha256}</code></>}</dd></div>
        <div><dt>{t('device.details.fingerprint')}</dt><dd><code>{session.device.fingerprint ?? '—'}</code></dd></div>
        <div><dt>{t('session.head')}</dt><dd><code>{session.timeline.head}</code></dd></div>
        <div><dt>{t('session.folder')}</dt><dd><code>{session.dir}</code></dd></div>
      </dl>
      {count > 300 && <p className="muted small">{t('session.lastOnly', { count })}</p>}
      <div className="timeline">
        <table className="grid">
          <tbody>
            {entries.map(({ seq, event }) => (
              <tr key={seq} data-seq={seq}>
                <td className="mono small">#{seq}</td>
                <td className="mono small">{new Date(event.hostTime).toLocaleTimeString()}</td>
                <td><code className={`ev ev-${event.type.replace('.', '-')}`}>{event.type}</code></td>
                <td><EventLine event={event} lang={i18n.language} stageTitle={stageTitle} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
