import type { ReactNode } from "react";

/** A short explanation of which mizan_gql feature a widget shows. */
export function HowItWorks({ children }: { children: ReactNode }) {
  return (
    <p className="how">
      <span className="how-label">How it works</span> {children}
    </p>
  );
}

export function Alert({ kind = "error", children }: { kind?: "error" | "success"; children: ReactNode }) {
  return (
    <div className={`alert ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
