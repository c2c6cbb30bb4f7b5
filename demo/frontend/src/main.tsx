// Mounts the header (every page) and the page's component into the shell Django rendered
// (core/templates/core/base.html, page.html). Data comes from the generated client in ./mizan.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Header } from "./components/Header";
import { ChatPage } from "./pages/Chat";
import { ContactPage } from "./pages/Contact";
import { HomePage } from "./pages/Home";
import { ProfilePage } from "./pages/Profile";

type Props = Record<string, unknown>;

function Page({ name, props }: { name: string; props: Props }) {
  switch (name) {
    case "home":
      return <HomePage greetName={String(props.greetName ?? "world")} />;
    case "profile":
      return <ProfilePage userId={Number(props.userId)} />;
    case "contact":
      return <ContactPage />;
    case "chat":
      return <ChatPage room={String(props.room ?? "lobby")} />;
    default:
      return <p className="alert error">Unknown page “{name}”.</p>;
  }
}

function readProps(): Props {
  const text = document.getElementById("page-props")?.textContent;
  return text ? (JSON.parse(text) as Props) : {};
}

const header = document.getElementById("site-header");
if (header) {
  createRoot(header).render(
    <StrictMode>
      <Header
        csrfToken={header.dataset.csrfToken ?? ""}
        graphiql={header.dataset.graphiql === "true"}
      />
    </StrictMode>,
  );
}

const page = document.getElementById("page");
if (page) {
  createRoot(page).render(
    <StrictMode>
      <Page name={page.dataset.page ?? ""} props={readProps()} />
    </StrictMode>,
  );
}
