// Electron entry point (package.json "main"). Everything lives in small modules that take
// Electron as a parameter (desktop.ts and what it uses), so they are tested with a stub;
// this file only hands them the real thing. The engine lives in main/core and never
// imports electron.

import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, protocol, session, shell, Tray } from 'electron';
import { startDesktop } from './desktop.js';

startDesktop({ app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, protocol, session, shell, Tray });
