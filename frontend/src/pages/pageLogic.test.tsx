import { describe, expect, it } from "vitest";
import { postFilter } from "./SocialPage";
import { spokenName } from "./RegionPage";
import { latestSpikes } from "./OverviewPage";

const EMPTY = { since: "", until: "", platform: "", sentiment: "", issue: "", q: "" };

describe("postFilter", () => {
  it("sends nothing without filters", () => {
    expect(postFilter(EMPTY)).toBeNull();
  });

  it("turns the URL's filters into whole WIB days and one-item lists", () => {
    expect(postFilter({ ...EMPTY, since: "2026-11-01", until: "2026-11-30", platform: "twitter", sentiment: "negative", issue: "health" })).toEqual({
      since: "2026-11-01T00:00:00+07:00",
      until: "2026-12-01T00:00:00+07:00",
      platforms: ["twitter"],
      sentiments: ["negative"],
      issues: ["health"],
    });
  });
});

describe("spokenName", () => {
  it("drops the administrative level people leave out", () => {
    expect(spokenName("Kabupaten Tegal")).toBe("Tegal");
    expect(spokenName("Slawi")).toBe("Slawi");
  });
});

describe("latestSpikes", () => {
  it("lists the spikes of every series, newest first", () => {
    const point = (bucket: string, count: number, isSpike: boolean) => ({ bucket, count, isSpike, zScore: isSpike ? 4 : null });
    const data = {
      posts: { total: 3 },
      socialTrends: [
        { key: "disaster", points: [point("2026-11-19", 20, true), point("2026-11-20", 5, false)] },
        { key: "health", points: [point("2026-11-21", 9, true)] },
      ],
    };

    expect(latestSpikes(data).map((s) => `${s.key}@${s.bucket}`)).toEqual(["health@2026-11-21", "disaster@2026-11-19"]);
  });
});

describe("targetEntity", () => {
  it("accepting joins the candidate's entity, else the record's own", async () => {
    const { targetEntity } = await import("./ReviewQueue");
    const item = { id: "1", recordId: "r1", candidateRecordId: "r2", entityId: "e1", candidateEntityId: "e2", kind: "organisation", reason: "uncertain", score: 0.7, evidence: {}, modelVersion: "m" };

    expect(targetEntity(item)).toBe("e2");
    expect(targetEntity({ ...item, candidateEntityId: null })).toBe("e1");
  });
});
