// A QR code as an SVG path (qrcode-generator, MIT, ~11 KB gzipped: the matrix only; the drawing
// is ours, so no HTML string is injected into the page).

import { useMemo } from 'react';
import qrcode from 'qrcode-generator';

const QUIET = 4; // modules of white border the QR spec asks for

/** The SVG path of the dark modules of `text`'s QR code, and the side in modules (border included). */
export function qrPath(text: string): { d: string; size: number } {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const parts: string[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) {
        parts.push(`M${c + QUIET} ${r + QUIET}h1v1h-1z`);
      }
    }
  }
  return { d: parts.join(''), size: n + 2 * QUIET };
}

export function QrCode({ text, label, pixels = 220 }: { text: string; label: string; pixels?: number }) {
  const { d, size } = useMemo(() => qrPath(text), [text]);
  return (
    <svg
      role="img"
      aria-label={label}
      width={pixels}
      height={pixels}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
      className="qr"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
