/// <reference types="vite/client" />
// Vite module types for the renderer: ?worker&inline imports (the template editor's Monaco workers).
