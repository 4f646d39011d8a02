import {
  useActivity,
  useFirstResponseTimes,
  useSubscriberChanges,
  type OverviewScope,
} from '../api/overview';
import { LineChart } from '../charts/line-chart';
import { Section } from '../layout/section';
import { dayLabel, durationWords } from './figures';
import { KeyFigures } from './key-figures';

const colours = { first: '#1f5fd6', second: '#0f766e', third: '#c2410c' } as const;

const sum = <T,>(rows: T[], figure: (row: T) => number) =>
  rows.reduce((total, row) => total + figure(row), 0);

/** What a panel shows while its answer is on its way, or when it failed. */
function Pending({ error }: { error: Error | null }) {
  return error ? <p className="text-red-700">{error.message}</p> : <p className="text-slate-500">Loading…</p>;
}

const axis = (days: { day: string }[]) => ({
  firstLabel: dayLabel(days[0]!.day),
  lastLabel: dayLabel(days.at(-1)!.day),
});

/** Conversations and messages per day. */
export function ActivitySection({ scope }: { scope: OverviewScope }) {
  const activity = useActivity(scope);
  const days = activity.data?.days;
  return (
    <Section title="Conversations and messages">
      {!days ? (
        <Pending error={activity.error} />
      ) : (
        <>
          <KeyFigures
            items={[
              { label: 'Messages received', value: sum(days, (day) => day.received) },
              { label: 'Messages sent', value: sum(days, (day) => day.sent) },
              {
                label: 'Busiest day’s conversations',
                value: Math.max(0, ...days.map((day) => day.conversations)),
              },
            ]}
          />
          <LineChart
            {...axis(days)}
            summary={`Per day over ${days.length} days: ${days
              .map(
                (day) =>
                  `${dayLabel(day.day)} ${day.conversations} conversations, ${day.received} received, ${day.sent} sent`,
              )
              .join('; ')}.`}
            series={[
              {
                name: 'Conversations',
                colour: colours.first,
                values: days.map((day) => day.conversations),
                figure: `${days.at(-1)!.conversations} today`,
              },
              {
                name: 'Received',
                colour: colours.second,
                values: days.map((day) => day.received),
                figure: String(sum(days, (day) => day.received)),
              },
              {
                name: 'Sent',
                colour: colours.third,
                values: days.map((day) => day.sent),
                figure: String(sum(days, (day) => day.sent)),
              },
            ]}
          />
        </>
      )}
    </Section>
  );
}

/** The median time agents took to answer a person's first message of an episode, per day. */
export function FirstResponseSection({ scope }: { scope: OverviewScope }) {
  const times = useFirstResponseTimes(scope);
  const data = times.data;
  return (
    <Section title="First response">
      {!data ? (
        <Pending error={times.error} />
      ) : (
        <>
          <p className="text-sm text-slate-600">
            From a person’s first message, when it opens or reopens a conversation, to an agent’s first reply.
          </p>
          <KeyFigures
            items={[
              {
                label: 'Median first response',
                value: data.medianSeconds === null ? '—' : durationWords(data.medianSeconds),
              },
              { label: 'Conversations answered', value: data.responses },
            ]}
          />
          {data.responses > 0 && (
            <LineChart
              {...axis(data.days)}
              formatValue={durationWords}
              summary={`Median first response per day: ${data.days
                .filter((day) => day.medianSeconds !== null)
                .map((day) => `${dayLabel(day.day)} ${durationWords(day.medianSeconds!)}`)
                .join('; ')}.`}
              series={[
                {
                  name: 'Median',
                  colour: colours.first,
                  values: data.days.map((day) => day.medianSeconds),
                  figure: durationWords(data.medianSeconds!),
                },
              ]}
            />
          )}
        </>
      )}
    </Section>
  );
}

/** People who started talking to the Pages, and people who opted out or can no longer be reached, per day. */
export function SubscribersSection({ scope }: { scope: OverviewScope }) {
  const changes = useSubscriberChanges(scope);
  const data = changes.data;
  return (
    <Section title="Subscribers">
      {!data ? (
        <Pending error={changes.error} />
      ) : (
        <>
          <KeyFigures
            items={[
              { label: 'Subscribers gained', value: data.gained },
              { label: 'Subscribers lost', value: data.lost },
            ]}
          />
          <LineChart
            {...axis(data.days)}
            summary={`Per day: ${data.days
              .map((day) => `${dayLabel(day.day)} ${day.gained} gained, ${day.lost} lost`)
              .join('; ')}.`}
            series={[
              {
                name: 'Gained',
                colour: colours.second,
                values: data.days.map((day) => day.gained),
                figure: String(data.gained),
              },
              {
                name: 'Lost',
                colour: colours.third,
                values: data.days.map((day) => day.lost),
                figure: String(data.lost),
              },
            ]}
          />
        </>
      )}
    </Section>
  );
}
