// Renders task outputs: JSON pretty-printed, otherwise Markdown (raw HTML is not rendered).
import ReactMarkdown from 'react-markdown';
import { JsonView } from './ui';

export default function Markdown({ value }: { value: unknown }) {
  if (value == null) return null;
  if (typeof value !== 'string') return <JsonView value={value} />;
  const trimmed = value.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return <JsonView value={JSON.parse(trimmed)} />;
    } catch {
      /* plain text */
    }
  }
  return (
    <div className="markdown">
      <ReactMarkdown>{value}</ReactMarkdown>
    </div>
  );
}
