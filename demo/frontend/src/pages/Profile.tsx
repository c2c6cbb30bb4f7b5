import { useState, type FormEvent } from "react";
import type { MizanError } from "../mizan/index.js";
import { UserProvider, useCurrentUser, useUpdateProfileMutation, useUser } from "../mizan/react.js";
import type { UserContextResult } from "../mizan/types.js";
import { Avatar } from "../components/Avatar";
import { Alert, HowItWorks } from "../components/Notice";

type Profile = UserContextResult["userProfile"];

function formatDate(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00`).toLocaleDateString("en-GB", {
    year: "numeric",
    month: "long",
    day: "numeric",
  });
}

/** Field errors of a BAD_USER_INPUT error, by argument name. */
function fieldMessages(error: MizanError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const item of error.fieldErrors) {
    const name = String(item.path[item.path.length - 1] ?? "");
    (fields[name] ??= []).push(item.message);
  }
  return fields;
}

function ProfileEditor({
  profile,
  onCancel,
  onSaved,
}: {
  profile: Profile;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [bio, setBio] = useState(profile.bio);
  // The generated hook of the mutation update_profile: its state, and mutate().
  const update = useUpdateProfileMutation();
  const busy = update.loading;
  const errors = update.error ? fieldMessages(update.error) : {};
  const failure = update.error && update.error.fieldErrors.length === 0 ? update.error.message : null;

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      // The mutation declares invalidates=["user", "people"]: its response names the entries,
      // and the client refetches this page's <UserProvider> by itself.
      await update.mutate({ userId: profile.userId, displayName, bio });
      onSaved();
    } catch {
      // Shown from update.error: field errors next to their fields, anything else below.
    }
  }

  return (
    <form className="stack" onSubmit={save} noValidate data-testid="profile-editor">
      <label className="field">
        <span>Display name</span>
        <input
          name="displayName"
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          aria-invalid={errors.displayName ? true : undefined}
        />
        {errors.displayName?.map((message) => (
          <span key={message} className="field-error">
            {message}
          </span>
        ))}
      </label>
      <label className="field">
        <span>Bio</span>
        <textarea
          name="bio"
          rows={4}
          value={bio}
          onChange={(event) => setBio(event.target.value)}
          aria-invalid={errors.bio ? true : undefined}
        />
        {errors.bio?.map((message) => (
          <span key={message} className="field-error">
            {message}
          </span>
        ))}
      </label>
      {failure && <Alert>{failure}</Alert>}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ProfileCard({ userId }: { userId: number }) {
  const { data, error, loading } = useUser();
  const { data: me } = useCurrentUser();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const profile = data?.userProfile;
  if (profile === undefined) {
    return error ? <Alert>{error.message}</Alert> : <p className="muted">Loading…</p>;
  }
  const own = me?.isAuthenticated === true && me.id === userId;
  return (
    <section className="card profile" aria-busy={loading}>
      <div className="profile-head">
        <Avatar name={profile.displayName} size="large" />
        <div className="profile-title">
          <h1 data-testid="profile-name">{profile.displayName}</h1>
          <p className="muted">
            @{profile.username} · member since {formatDate(profile.memberSince)}
          </p>
        </div>
        {own && !editing && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            Edit profile
          </button>
        )}
      </div>
      {editing ? (
        <ProfileEditor
          profile={profile}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setSaved(true);
          }}
        />
      ) : (
        <p className="bio" data-testid="profile-bio">
          {profile.bio || <span className="muted">No bio yet.</span>}
        </p>
      )}
      {saved && !editing && <Alert kind="success">Saved. Everyone sees the new version now.</Alert>}
      <HowItWorks>
        The named context <code>user</code> (<code>cache="public"</code>), rendered by a Django
        view marked <code>@mizan_gql.view(context="user")</code>. Editing runs{" "}
        <code>update_profile</code>, declared with <code>invalidates=["user"]</code>: this card,
        and every other browser showing it, refetches the new version.
      </HowItWorks>
    </section>
  );
}

export function ProfilePage({ userId }: { userId: number }) {
  return (
    <>
      <p className="breadcrumb">
        <a href="/">← All people</a>
      </p>
      <UserProvider userId={userId}>
        <ProfileCard userId={userId} />
      </UserProvider>
    </>
  );
}
