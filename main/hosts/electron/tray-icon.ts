// The tray icon as a NativeImage: macOS gets the black "template" glyph it tints for light and
// dark menu bars; Windows the coloured icon at 16 px with a 32 px version for 200 % scaling;
// Linux's indicators draw at 22 to 24 px and scale what they get, so they get the 32 px one.
// The PNGs are inlined (tray-icon-data.ts, made by assets/tray/make-tray-icons.mjs).

import type { NativeImage, nativeImage as NativeImageModule } from 'electron';
import { TRAY_PNG_BASE64 } from './tray-icon-data.js';

export function trayImage(nativeImage: Pick<typeof NativeImageModule, 'createFromBuffer'>, platform: NodeJS.Platform): NativeImage {
  const png = (name: keyof typeof TRAY_PNG_BASE64): Buffer => Buffer.from(TRAY_PNG_BASE64[name], 'base64');
  if (platform === 'linux') return nativeImage.createFromBuffer(png('colour32'), { scaleFactor: 1 });
  const mac = platform === 'darwin';
  const image = nativeImage.createFromBuffer(png(mac ? 'template16' : 'colour16'), { scaleFactor: 1 });
  image.addRepresentation({ scaleFactor: 2, buffer: png(mac ? 'template32' : 'colour32') });
  if (mac) image.setTemplateImage(true);
  return image;
}
