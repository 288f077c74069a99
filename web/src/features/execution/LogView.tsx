// Virtualised live log: auto-scroll that pauses when the user scrolls up, level filter.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../../lib/format';
import type { LogLine } from '../../lib/trace';

const LEVELS = ['debug', 'info', 'warn', 'error'];

export default function LogView({ lines }: { lines: LogLine[] }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState('');
  const [q, setQ] = useState('');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!level && !needle) return lines;
    return lines.filter((l) => (!level || LEVELS.indexOf(l.level) >= LEVELS.indexOf(level)) && (!needle || l.message.toLowerCase().includes(needle)));
  }, [lines, level, q]);
  const v = useVirtualizer({ count: shown.length, getScrollElement: () => box.current, estimateSize: () => 20, overscan: 20 });

  useEffect(() => {
    if (follow && shown.length) v.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [shown.length, follow, v]);

  return (
    <section className="card stack" aria-label={t('execution.log')}>
      <div className="row">
        <h2 style={{ margin: 0, flex: 1 }}>{t('execution.log')}</h2>
        <small className="muted" data-testid="log-count">{t('execution.events', { count: shown.length })}</small>
        <input type="search" aria-label={t('common.search')} placeholder={t('common.search')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 180 }} />
        <label htmlFor="log-level" className="muted">{t('execution.level')}</label>
        <select id="log-level" value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="">{t('execution.allLevels')}</option>
          {LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </div>
      <div
        className="log-box"
        ref={box}
        data-testid="log"
        tabIndex={0}
        role="log"
        aria-label={t('execution.log')}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
          if (atBottom !== follow) setFollow(atBottom);
        }}
      >
        {shown.length === 0 && <div className="log-line muted">{t('execution.noEvents')}</div>}
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((it) => {
            const l = shown[it.index];
            return (
              <div key={it.key} className={`log-line lvl-${l.level}`} data-testid="log-line" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${it.start}px)` }}>
                <span className="muted">{fmtTime(l.ts)}</span>
                <span style={{ width: 44 }}>{l.level.toUpperCase()}</span>
                <span className="msg" title={l.message}>{l.message}</span>
              </div>
            );
          })}
        </div>
      </div>
      {!follow && (
        <div className="row">
          <small className="muted" data-testid="autoscroll-paused">{t('execution.autoscrollPaused')}</small>
          <button className="btn btn-sm" onClick={() => setFollow(true)}>{t('execution.resume')}</button>
        </div>
      )}
    </section>
  );
}
