import type { FormEvent } from "react";
import { contactFormSchema, useContactForm } from "../mizan/forms.js";
import type { ContactFormInput } from "../mizan/types.js";
import { Alert, HowItWorks } from "../components/Notice";

type FieldSpec = (typeof contactFormSchema.fields)[number];
type FieldName = keyof ContactFormInput & FieldSpec["name"];

function Field({
  spec,
  value,
  errors,
  onChange,
}: {
  spec: FieldSpec;
  value: string;
  errors: string[] | undefined;
  onChange: (value: string) => void;
}) {
  const id = `contact-${spec.name}`;
  const invalid = errors !== undefined && errors.length > 0;
  const common = {
    id,
    name: spec.name,
    value,
    "aria-invalid": invalid || undefined,
    "aria-describedby": spec.helpText ? `${id}-help` : undefined,
  };
  let control;
  if (spec.widget === "textarea") {
    control = <textarea {...common} rows={6} onChange={(event) => onChange(event.target.value)} />;
  } else if (spec.widget === "select" && spec.choices) {
    control = (
      <select {...common} onChange={(event) => onChange(event.target.value)}>
        {spec.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        {...common}
        type={spec.widget === "email" ? "email" : "text"}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }
  return (
    <div className={`field${invalid ? " invalid" : ""}`} data-field={spec.name}>
      <label htmlFor={id}>
        {spec.label}
        {spec.required && <span className="required" aria-hidden="true"> *</span>}
      </label>
      {control}
      {spec.helpText && (
        <span className="help" id={`${id}-help`}>
          {spec.helpText}
        </span>
      )}
      {errors?.map((message) => (
        <span key={message} className="field-error">
          {message}
        </span>
      ))}
    </div>
  );
}

export function ContactPage() {
  const form = useContactForm();
  const sent = form.result?.result;

  if (sent) {
    return (
      <section className="card narrow">
        <h1>Thank you!</h1>
        <Alert kind="success">
          <span data-testid="contact-sent">
            Your message was received as ticket <strong>#{sent.ticket}</strong>.
          </span>
        </Alert>
        <p>We will answer at {form.values.email}.</p>
        <button type="button" className="button" onClick={form.reset}>
          Send another message
        </button>
      </section>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await form.submit();
  }

  return (
    <section className="card narrow">
      <h1>{contactFormSchema.title}</h1>
      <p className="muted">Questions, bug reports and praise are all welcome.</p>
      {/* noValidate: the generated Zod schema, not the browser, checks the fields first. */}
      <form className="stack" onSubmit={submit} noValidate data-testid="contact-form">
        {contactFormSchema.fields.map((spec) => (
          <Field
            key={spec.name}
            spec={spec}
            value={form.values[spec.name as FieldName] ?? ""}
            errors={form.errors.fields[spec.name]}
            onChange={(value) => form.setValue(spec.name as FieldName, value)}
          />
        ))}
        {form.errors.nonField.map((message) => (
          <Alert key={message}>{message}</Alert>
        ))}
        {form.error && <Alert>{form.error.message}</Alert>}
        <div className="actions">
          <button type="submit" className="button primary" disabled={form.busy}>
            {form.busy ? "Sending…" : "Send message"}
          </button>
        </div>
      </form>
      <HowItWorks>
        A Django form with <code>mizanFormMixin</code> and{" "}
        <code>mizanFormMeta(name="contact")</code>. <code>useContactForm()</code> checks the
        values with the generated Zod schema in the browser first; the server's own rules (here,
        addresses it cannot answer) come back as field errors from <code>contactSubmit</code>.
      </HowItWorks>
    </section>
  );
}
