/**
 * The neighbourhood of an entity drawn with Cytoscape.js. Canvas is invisible
 * to screen readers, so the same nodes and edges are listed in the table next
 * to it and the canvas carries a summary label.
 */
import cytoscape from "cytoscape";
import { useEffect, useRef } from "react";

export interface GraphViewNode {
  id: string;
  name: string;
  kind?: string | null;
  label: string;
}

export interface GraphViewEdge {
  id: string;
  type: string;
  sourceId: string;
  targetId: string;
}

interface GraphViewProps {
  nodes: GraphViewNode[];
  edges: GraphViewEdge[];
  focusId: string;
  label: string;
  onSelect?: (id: string) => void;
}

const KIND_COLOURS: Record<string, string> = {
  place: "#2b8a3e",
  organisation: "#1864ab",
  person: "#c2255c",
  product: "#e67700",
  topic: "#6741d9",
};

export function GraphView({ nodes, edges, focusId, label, onSelect }: GraphViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;

  useEffect(() => {
    if (!container.current) return;
    const known = new Set(nodes.map((node) => node.id));
    const graph = cytoscape({
      container: container.current,
      elements: [
        ...nodes.map((node) => ({
          data: { id: node.id, name: node.name, colour: KIND_COLOURS[node.kind ?? ""] ?? "#495057" },
          classes: node.id === focusId ? "focus" : "",
        })),
        ...edges
          .filter((edge) => known.has(edge.sourceId) && known.has(edge.targetId))
          .map((edge) => ({ data: { id: edge.id, source: edge.sourceId, target: edge.targetId, type: edge.type } })),
      ],
      style: [
        {
          selector: "node",
          style: { label: "data(name)", "background-color": "data(colour)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": "90px" },
        },
        { selector: "node.focus", style: { "border-width": 4, "border-color": "#000", width: 40, height: 40 } },
        {
          selector: "edge",
          style: { label: "data(type)", "font-size": 7, "curve-style": "bezier", "target-arrow-shape": "triangle", width: 1.5, "line-color": "#adb5bd", "target-arrow-color": "#adb5bd" },
        },
      ],
      layout: { name: "cose", animate: false },
    });
    graph.on("tap", "node", (event) => selectRef.current?.(event.target.id()));
    return () => graph.destroy();
  }, [nodes, edges, focusId]);

  return <div ref={container} className="graph-view" role="img" aria-label={label} data-testid="graph-view" />;
}
