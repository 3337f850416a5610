// A QR code's dark modules as one SVG path (ui/QrCode.tsx draws it): a rectangle per horizontal
// run, offset by the quiet zone. Pure, so tests check it against the encoder.

/** Modules of white around the code (the standard's minimum). */
export const QR_QUIET = 4;

export function qrPath(data: readonly (readonly boolean[])[], offset = QR_QUIET): string {
  const parts: string[] = [];
  data.forEach((row, y) => {
    for (let x = 0; x < row.length;) {
      if (!row[x]) {
        x++;
        continue;
      }
      let run = 1;
      while (row[x + run]) run++;
      parts.push(`M${x + offset} ${y + offset}h${run}v1h-${run}z`);
      x += run;
    }
  });
  return parts.join('');
}
