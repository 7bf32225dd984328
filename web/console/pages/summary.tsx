import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiClient, PeriodQuery } from '../api/client';
import type { Compliance, Distribution, SummaryMetrics, Team, Vocabulary } from '../api/types';
import { type Bar, BarChart } from '../components/bar-chart';
import { ErrorMessage } from '../components/error-message';
import { useTexts } from '../i18n';
import { workingSpan } from '../sla';

interface SummaryProps {
  api: ApiClient;
  teams: Team[];
  timeZone: string;
}

const SLA_KINDS = ['first_response', 'next_response', 'resolution', 'agency_followup'] as const;

/** Today's date in the office's time zone, and the date `days` before it (YYYY-MM-DD). */
function dayIn(timeZone: string, daysBack = 0): string {
  const at = new Date(Date.now() - daysBack * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * The summary of a period and team (GET /api/v1/metrics/summary): volumes by channel and category,
 * response and resolution times in working minutes, SLA met per clock, reopened, calls; each as a
 * small chart with its table, and the two CSV exports one click away.
 */
export function SummaryPage({ api, teams, timeZone }: SummaryProps) {
  const { t, word, language } = useTexts();
  const [period, setPeriod] = useState<PeriodQuery>(() => ({ from: dayIn(timeZone, 29), to: dayIn(timeZone) }));
  const [draft, setDraft] = useState<PeriodQuery>(period);
  const [summary, setSummary] = useState<SummaryMetrics | null>(null);
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setSummary(await api.summary(period));
      setError(null);
    } catch (refused) {
      setError(refused);
    }
  }, [api, period]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    api.vocabulary().then(setVocabulary, () => undefined);
  }, [api]);

  const download = async (kind: 'summary' | 'tickets') => {
    setDownloadError(null);
    try {
      await api.download(kind, period);
    } catch (refused) {
      setDownloadError(refused);
    }
  };
  const category = (code: string) =>
    code === 'uncategorised'
      ? t.uncategorised
      : (vocabulary?.categories.find((term) => term.code === code)?.label[language] ?? code);
  const counts = (values: Record<string, number>, label: (code: string) => string): Bar[] =>
    Object.entries(values)
      .sort((a, b) => b[1] - a[1])
      .map(([code, value]) => ({ key: code, label: label(code), value }));
  const minutes = (value: number | null) => (value === null ? t.noData : workingSpan(t, value));
  const times = (distribution: Distribution): Bar[] => [
    { key: 'median', label: t.median, value: distribution.median ?? 0, text: minutes(distribution.median) },
    { key: 'p90', label: t.p90, value: distribution.p90 ?? 0, text: minutes(distribution.p90) },
  ];
  const percent = (compliance: Compliance) =>
    compliance.percent_met === null
      ? t.noData
      : `${compliance.percent_met.toLocaleString(language === 'id' ? 'id-ID' : 'en-GB')} % (${compliance.met}/${compliance.met + compliance.breached})`;
  const field = (key: 'from' | 'to', label: string) => (
    <label>
      {label}{' '}
      <input
        type="date"
        value={draft[key]}
        required
        onInput={(event) => setDraft({ ...draft, [key]: (event.target as HTMLInputElement).value })}
      />
    </label>
  );

  return (
    <main class="summary">
      <h1>{t.summaryTitle}</h1>
      <form
        class="filters"
        aria-label={t.summaryPeriod}
        onSubmit={(event) => {
          event.preventDefault();
          setPeriod(draft);
        }}
      >
        {field('from', t.periodFrom)}
        {field('to', t.periodTo)}
        <label>
          {t.team}{' '}
          <select
            value={draft.team ?? ''}
            onChange={(event) => setDraft({ ...draft, team: (event.target as HTMLSelectElement).value || undefined })}
          >
            <option value="">{t.allMyTeams}</option>
            {teams.map((team) => (
              <option key={team.id} value={String(team.id)}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t.show}</button>
      </form>
      <p class="buttons">
        <button type="button" class="link" onClick={() => void download('summary')}>
          {t.downloadSummary}
        </button>
        <button type="button" class="link" onClick={() => void download('tickets')}>
          {t.downloadTickets}
        </button>
      </p>
      <ErrorMessage error={downloadError} />
      <ErrorMessage error={error} />
      {summary === null ? (
        <p>{t.loading}</p>
      ) : (
        <>
          <p role="status" data-total={summary.volumes.total}>
            {t.summaryTotal.replace('{n}', String(summary.volumes.total))}
          </p>
          <div class="charts">
            <BarChart
              name="channels"
              title={t.byChannel}
              valueHeader={t.tickets}
              bars={counts(summary.volumes.by_channel, (code) => word('channel', code))}
            />
            <BarChart
              name="categories"
              title={t.byCategory}
              valueHeader={t.tickets}
              bars={counts(summary.volumes.by_category, category)}
            />
            <BarChart
              name="first-response"
              title={t.firstResponseTimes.replace('{n}', String(summary.first_response_minutes.count))}
              valueHeader={t.workingTime}
              bars={times(summary.first_response_minutes)}
            />
            <BarChart
              name="resolution"
              title={t.resolutionTimes.replace('{n}', String(summary.resolution_minutes.count))}
              valueHeader={t.workingTime}
              bars={times(summary.resolution_minutes)}
            />
            <BarChart
              name="sla"
              title={t.slaMet}
              valueHeader={t.percentMet}
              max={100}
              bars={SLA_KINDS.map((kind) => ({
                key: kind,
                label: t[`sla_${kind}`],
                value: summary.sla[kind].percent_met ?? 0,
                text: percent(summary.sla[kind]),
              }))}
            />
          </div>
          <dl class="figures-list">
            <dt>{t.breachesInPeriod}</dt>
            <dd data-figure="breaches">{summary.breaches}</dd>
            <dt>{t.reopenedInPeriod}</dt>
            <dd data-figure="reopened">{summary.reopened}</dd>
            {summary.calls ? (
              <>
                <dt>{t.abandonedCalls}</dt>
                <dd data-figure="abandoned">{summary.calls.abandoned}</dd>
                <dt>{t.callbacksDone}</dt>
                <dd data-figure="callbacks_done">{summary.calls.callbacks_done}</dd>
                <dt>{t.callbacksUnreachable}</dt>
                <dd data-figure="callbacks_unreachable">{summary.calls.callbacks_unreachable}</dd>
                <dt>{t.callbacksPending}</dt>
                <dd data-figure="callbacks_pending">{summary.calls.callbacks_pending}</dd>
                <dt>{t.callbacksOverdue}</dt>
                <dd data-figure="callbacks_overdue">{summary.calls.callbacks_overdue}</dd>
              </>
            ) : null}
          </dl>
        </>
      )}
    </main>
  );
}
