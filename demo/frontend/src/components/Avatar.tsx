const COLOURS = ["#4f46e5", "#0891b2", "#059669", "#d97706", "#db2777", "#7c3aed"];

function colourOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length] ?? COLOURS[0]!;
}

/** A round badge with the first letter of a name. */
export function Avatar({ name, size = "medium" }: { name: string; size?: "small" | "medium" | "large" }) {
  const letter = name.trim().charAt(0).toUpperCase() || "?";
  return (
    <span className={`avatar ${size}`} style={{ background: colourOf(name) }} aria-hidden="true">
      {letter}
    </span>
  );
}
