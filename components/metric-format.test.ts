import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import type { ChartMarker } from "@/lib/types";
import { type BrokersT, chartMarkersOf, markerLabel } from "./metric-format";

// The catalog's typed translators, read as the components' plain ones (keys built from a marker's kind).
const en = createTranslator({ locale: "en", messages: MESSAGES.en, namespace: "brokers" }) as unknown as BrokersT;
const ko = createTranslator({ locale: "ko", messages: MESSAGES.ko, namespace: "brokers" }) as unknown as BrokersT;

const markers: ChartMarker[] = [
  { ts: 1, kind: "broker-down", broker: 2, label: "broker 2 down" },
  { ts: 2, kind: "leaders-moved", broker: null, count: 1, label: "1 leader moved" },
  { ts: 3, kind: "leaders-moved", broker: null, count: 12, label: "12 leaders moved" },
  { ts: 4, kind: "controller-changed", broker: null, controller: 3, label: "controller 3" },
  { ts: 5, kind: "controller-changed", broker: null, controller: null, label: "controller none" },
  { ts: 6, kind: "quorum-lost", broker: null, label: "quorum lost" },
  { ts: 7, kind: "quorum-regained", broker: null, label: "quorum regained" },
  { ts: 8, kind: "broker-up", broker: 2, label: "broker 2 up" },
];

describe("chart markers' words", () => {
  it("in English, the words the server writes", () => {
    expect(markers.map((m) => markerLabel(m, en))).toEqual(markers.map((m) => m.label));
  });

  it("in Korean, from the marker's kind and numbers", () => {
    expect(markers.map((m) => markerLabel(m, ko))).toEqual([
      "브로커 2 다운",
      "leader 1개 이동",
      "leader 12개 이동",
      "컨트롤러 3",
      "컨트롤러 없음",
      "quorum 과반 상실",
      "quorum 과반 회복",
      "브로커 2 가동",
    ]);
  });

  it("leader moves are faint lines, the rest carry their words", () => {
    expect(chartMarkersOf(markers, en).map((m) => m.faint)).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("a marker from an older server without a count keeps its own words", () => {
    expect(markerLabel({ ts: 1, kind: "leaders-moved", broker: null, label: "3 leaders moved" }, ko)).toBe(
      "3 leaders moved",
    );
  });
});
