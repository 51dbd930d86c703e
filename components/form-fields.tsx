"use client";
import { type InputHTMLAttributes, type ReactNode, useId } from "react";

/** The look of every text input and select in Quorum's forms; red-bordered when its value is refused. */
export function inputClass(invalid: boolean, mono = false): string {
  return `mt-1 block w-full rounded-md border px-3 py-1.5 text-sm ${invalid ? "border-rose-400" : "border-slate-300"}${mono ? " font-mono" : ""}`;
}

interface FieldFrame {
  label: ReactNode;
  /** Words beside the label, in grey: "(optional)", what the field is for. */
  note?: ReactNode;
  /** Words under the field, shown while it has no error. */
  hint?: ReactNode;
  /** Why the value is refused (the route's own schema said so). */
  error?: string;
  /** data-testid of the error line. */
  errorTestId: string;
  className?: string;
}

function Frame({
  id,
  label,
  note,
  hint,
  error,
  errorTestId,
  className,
  children,
}: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
        {note && <span className="font-normal text-slate-500"> {note}</span>}
      </label>
      {children}
      {error ? (
        <span className="mt-1 block text-xs text-rose-700" data-testid={errorTestId}>
          {error}
        </span>
      ) : (
        hint && <span className="mt-1 block text-xs text-slate-500">{hint}</span>
      )}
    </div>
  );
}

type TextFieldProps = FieldFrame & {
  value: string;
  onChange: (value: string) => void;
  testId: string;
  mono?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "className">;

/** A labelled input with its error or hint beneath. */
export function TextField({
  label,
  note,
  hint,
  error,
  errorTestId,
  className,
  value,
  onChange,
  testId,
  mono,
  ...input
}: TextFieldProps) {
  const id = useId();
  return (
    <Frame {...{ id, label, note, hint, error, errorTestId, className }}>
      <input
        {...input}
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        aria-invalid={Boolean(error)}
        className={inputClass(Boolean(error), mono)}
      />
    </Frame>
  );
}

type SelectFieldProps = FieldFrame & {
  value: string;
  onChange: (value: string) => void;
  testId: string;
  options: { value: string; label: string }[];
};

/** A labelled select with its error or hint beneath. */
export function SelectField({ value, onChange, testId, options, ...frame }: SelectFieldProps) {
  const id = useId();
  return (
    <Frame id={id} {...frame}>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        aria-invalid={Boolean(frame.error)}
        className={inputClass(Boolean(frame.error))}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}
