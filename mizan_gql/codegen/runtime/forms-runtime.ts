// Forms: Zod pre-validation mirroring the Django form, server validation, submit.
// Copied verbatim by `manage.py export_client`.

import { useCallback, useRef, useState } from "react";
import type { ZodType } from "zod";
import { useMizanClient } from "./react-client.js";
import { MizanError, type MizanClient } from "./runtime.js";

/** Error messages by field name (the form's input field names), plus the form's own. */
export interface FormErrors {
  fields: Record<string, string[]>;
  nonField: string[];
}

export interface ServerFieldError {
  field: string;
  messages: string[];
}

export interface ServerValidation {
  valid: boolean;
  fieldErrors: ServerFieldError[];
  nonFieldErrors: { message: string }[];
}

/** The outcome of checking values with a form's Zod schema (no request is made). */
export function checkWithZod(schema: ZodType<unknown>, values: unknown): FormErrors & { valid: boolean } {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { valid: true, fields: {}, nonField: [] };
  const fields: Record<string, string[]> = {};
  const nonField: string[] = [];
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string") (fields[field] ??= []).push(issue.message);
    else nonField.push(issue.message);
  }
  return { valid: false, fields, nonField };
}

export function serverErrors(validation: ServerValidation): FormErrors {
  const fields: Record<string, string[]> = {};
  for (const error of validation.fieldErrors) {
    if (error.field === "__all__") continue;
    fields[error.field] = [...error.messages];
  }
  return { fields, nonField: validation.nonFieldErrors.map((error) => error.message) };
}

export interface FormSpec<I, S extends ServerValidation> {
  schema: ZodType<unknown>;
  initial: I;
  validate: (data: I, client: MizanClient) => Promise<ServerValidation>;
  submit: (data: I, client: MizanClient) => Promise<S>;
}

export interface FormState<I, S> {
  values: I;
  setValue: <K extends keyof I>(name: K, value: I[K]) => void;
  setValues: (values: Partial<I>) => void;
  errors: FormErrors;
  /** Check with Zod, then with the server (`<name>Validate`); true when both accept. */
  validate: () => Promise<boolean>;
  /** Check with Zod, then submit (`<name>Submit`); the submission, or undefined if invalid. */
  submit: () => Promise<S | undefined>;
  /** The last successful submission's result. */
  result: S | undefined;
  busy: boolean;
  /** A transport or server error (not a validation error), e.g. FORBIDDEN. */
  error: MizanError | undefined;
  reset: () => void;
}

const NO_ERRORS: FormErrors = { fields: {}, nonField: [] };

export function useForm<I extends Record<string, unknown>, S extends ServerValidation>(
  spec: FormSpec<I, S>,
): FormState<I, S> {
  const [values, setAll] = useState<I>(spec.initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [result, setResult] = useState<S | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MizanError | undefined>(undefined);
  const current = useRef(values);
  current.current = values;
  const client = useMizanClient();

  const setValue = useCallback(<K extends keyof I>(name: K, value: I[K]) => {
    setAll((previous) => ({ ...previous, [name]: value }));
  }, []);
  const setValues = useCallback((next: Partial<I>) => {
    setAll((previous) => ({ ...previous, ...next }));
  }, []);

  const run = useCallback(
    async <R>(work: (data: I, client: MizanClient) => Promise<R>): Promise<R | undefined> => {
      const data = current.current;
      const local = checkWithZod(spec.schema, data);
      if (!local.valid) {
        setErrors({ fields: local.fields, nonField: local.nonField });
        return undefined;
      }
      setBusy(true);
      setError(undefined);
      try {
        return await work(data, client);
      } catch (failure) {
        setError(failure instanceof MizanError ? failure : new MizanError(String(failure), "NETWORK_ERROR"));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [spec, client],
  );

  const validate = useCallback(async () => {
    const outcome = await run(spec.validate);
    if (outcome === undefined) return false;
    setErrors(serverErrors(outcome));
    return outcome.valid;
  }, [run, spec]);

  const submit = useCallback(async () => {
    const outcome = await run(spec.submit);
    if (outcome === undefined) return undefined;
    setErrors(serverErrors(outcome));
    if (!outcome.valid) return undefined;
    setResult(outcome);
    return outcome;
  }, [run, spec]);

  const reset = useCallback(() => {
    setAll(spec.initial);
    setErrors(NO_ERRORS);
    setResult(undefined);
    setError(undefined);
  }, [spec]);

  return { values, setValue, setValues, errors, validate, submit, result, busy, error, reset };
}
