// What a LocalSend send offers: one FileDto per file of the selection, as prepare-upload's body
// carries them. LocalSend has no folder entries: a file inside a folder is sent with its wire
// path as `fileName` (`Photos/2024/a.jpg`), which is how LocalSend apps send folders, and an
// empty folder cannot be sent at all (it is left out, not failed).

import { randomBytes } from 'node:crypto';
import type { ErrorCode } from '../errors.js';
import { sourceFailure } from '../transfer/send/local-file.js';
import type { Source } from '../model/transport.js';
import { isDir, type FileEntry } from '../protocol/messages.js';
import type { RegisterRequest } from './announce.js';
import { hashFile } from './send-files.js';

/** One FileDto as LocalSend 1.18's parser takes it (no nulls: it accepts none where a value is optional). */
export interface FileDto {
  id: string;
  fileName: string;
  size: number;
  fileType: string;
  /** Lower-case hex; 1.18 receivers verify it (422 on a mismatch), older ones ignore it. */
  sha256: string;
  /** A text message's words (fileType text/plain): receivers that show texts show these. */
  preview?: string;
  metadata: { modified: string; accessed: string };
}

/** A file of the offer: what is sent, and where it is read from. */
export interface OutgoingFile {
  dto: FileDto;
  entry: FileEntry;
  local: string;
  /** From the hashing pass: what file-done reports, and what the upload's bytes must hash to. */
  md5: string;
}

export interface Unreadable {
  path: string;
  code: ErrorCode;
  message: string;
}

export interface PrepareUploadBody {
  info: RegisterRequest;
  files: Record<string, FileDto>;
}

/** MIME types by extension: receivers use them for the icon, the preview, whether it goes to the gallery. */
const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp4: 'video/mp4',
  m4v: 'video/x-m4v',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  '7z': 'application/x-7z-compressed',
  rar: 'application/vnd.rar',
  apk: 'application/vnd.android.package-archive',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  epub: 'application/epub+zip',
};

export function mimeTypeOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  // A name that is only an extension (".bashrc") has none.
  if (dot <= 0) return 'application/octet-stream';
  return MIME[base.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Random, so that ids are unique beyond this offer too: a LocalSend 1.17 receiver keys its
 * receive history by file id.
 */
export function newFileId(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * Hashes every file of the selection (folders skipped) and describes it for the offer. A file
 * that cannot be read, or changed since it was chosen, is left out of the offer and returned in
 * `unreadable`; CANCELLED (the signal) ends the whole pass.
 */
export async function prepareFiles(source: Source, signal: AbortSignal): Promise<{ files: OutgoingFile[]; unreadable: Unreadable[] }> {
  const files: OutgoingFile[] = [];
  const unreadable: Unreadable[] = [];
  for (const [index, entry] of source.entries.entries()) {
    if (isDir(entry)) continue;
    const local = source.locals[index] ?? '';
    try {
      const digests = await hashFile(local, entry, signal);
      const dto: FileDto = {
        id: newFileId(),
        fileName: entry.path,
        size: entry.size,
        fileType: mimeTypeOf(entry.path),
        sha256: digests.sha256,
        metadata: { modified: new Date(entry.mtime).toISOString(), accessed: new Date(Math.trunc(digests.accessedMs)).toISOString() },
      };
      files.push({ dto, entry, local, md5: digests.md5 });
    } catch (err) {
      const e = sourceFailure(err);
      if (e.code === 'CANCELLED') throw e;
      unreadable.push({ path: entry.path, code: e.code === 'SOURCE_CHANGED' ? e.code : 'IO_ERROR', message: e.message });
    }
  }
  return { files, unreadable };
}

export function prepareBody(info: RegisterRequest, files: readonly OutgoingFile[]): PrepareUploadBody {
  const out: Record<string, FileDto> = {};
  for (const f of files) out[f.dto.id] = f.dto;
  return { info, files: out };
}
