// The browser's time zone, asked off the page's thread (app.js starts this
// as a worker): Intl loads its time zone data on the first question, tens of
// milliseconds on a phone.
postMessage(Intl.DateTimeFormat().resolvedOptions().timeZone);
