// A labelled <select>. The label points at the select (htmlFor) instead of wrapping it, so the
// control's name is the label alone: a wrapping label's text would include every option's text.

import { useId, type ReactNode } from 'react';

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  children: ReactNode;
}

export function SelectField({ label, value, onChange, className, children }: Props) {
  const id = useId();
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}
