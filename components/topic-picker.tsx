"use client";
import { useTranslations } from "next-intl";
import type { TopicSummary } from "@/lib/types";

/**
 * A topic chosen from a server-side search: a box for part of the name (the caller asks the server
 * for the few that match) and a list of those matches. Test ids are `${testId}-search` and `${testId}`.
 */
export function TopicPicker({
  testId,
  filter,
  onFilter,
  topics,
  value,
  onChange,
  detail,
}: {
  testId: string;
  filter: string;
  onFilter: (filter: string) => void;
  topics: TopicSummary[];
  value: string;
  onChange: (topic: string) => void;
  /** What follows a topic's name in the list, e.g. its replication factor. */
  detail: (t: TopicSummary) => string;
}) {
  const t = useTranslations("ops.topicPicker");
  return (
    <>
      <label className="text-sm">
        <span className="block font-medium">{t("find")}</span>
        <input
          type="search"
          value={filter}
          onChange={(e) => onFilter(e.target.value)}
          placeholder={t("placeholder")}
          className="mt-1 w-40 rounded-md border border-slate-300 px-2 py-1.5"
          data-testid={`${testId}-search`}
        />
      </label>
      <label className="text-sm">
        <span className="block font-medium">{t("topic")}</span>
        <select
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className="mt-1 max-w-xs rounded-md border border-slate-300 px-2 py-1.5"
          data-testid={testId}
        >
          {topics.map((topic) => (
            <option key={topic.name} value={topic.name}>
              {topic.name} ({detail(topic)})
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
