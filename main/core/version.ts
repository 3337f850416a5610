// This build's version, as hello, discovery announcements and the UI state report it.
export const APP_VERSION = '0.1.0';
