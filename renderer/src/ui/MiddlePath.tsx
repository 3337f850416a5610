// A path on one line that, when too long, is cut in the middle: the folders give way first and
// the file name stays readable ("Pictures/Family arch…/Algarve/photo-0001.jpg"). The text
// itself stays whole, so screen readers, copy and find-in-page get the full path.

export function MiddlePath({ path, className }: { path: string; className?: string }) {
  const cut = path.lastIndexOf('/') + 1;
  const head = path.slice(0, cut);
  const tail = path.slice(cut);
  return (
    <span className={className ? `middle-path ${className}` : 'middle-path'} title={path}>
      {head && <span className="middle-path-head">{head}</span>}
      <span className="middle-path-tail">{tail}</span>
    </span>
  );
}
