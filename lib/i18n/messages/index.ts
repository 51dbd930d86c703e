import type { Locale } from "../locales";
import enAdmin from "./en/admin.json";
import enBrokers from "./en/brokers.json";
import enCommon from "./en/common.json";
import enGroups from "./en/groups.json";
import enLabs from "./en/labs.json";
import enMessages from "./en/messages.json";
import enOps from "./en/ops.json";
import enOverview from "./en/overview.json";
import enTopics from "./en/topics.json";
import koAdmin from "./ko/admin.json";
import koBrokers from "./ko/brokers.json";
import koCommon from "./ko/common.json";
import koGroups from "./ko/groups.json";
import koLabs from "./ko/labs.json";
import koMessages from "./ko/messages.json";
import koOps from "./ko/ops.json";
import koOverview from "./ko/overview.json";
import koTopics from "./ko/topics.json";

/**
 * The catalog: one file per part of the console and language (`en/<namespace>.json`,
 * `ko/<namespace>.json`), each a namespace of next-intl's messages (`useTranslations("topics")`).
 * Every key exists in both languages (catalog.test.ts).
 */
export const MESSAGES = {
  en: {
    common: enCommon,
    overview: enOverview,
    brokers: enBrokers,
    ops: enOps,
    topics: enTopics,
    messages: enMessages,
    groups: enGroups,
    admin: enAdmin,
    labs: enLabs,
  },
  ko: {
    common: koCommon,
    overview: koOverview,
    brokers: koBrokers,
    ops: koOps,
    topics: koTopics,
    messages: koMessages,
    groups: koGroups,
    admin: koAdmin,
    labs: koLabs,
  },
} satisfies Record<Locale, Record<string, unknown>>;
