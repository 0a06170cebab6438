/** An accessible table: caption, column headers, and sort buttons reachable by keyboard. */
import type { ReactNode } from "react";
import { useI18n } from "../i18n";

export interface Column<Row> {
  key: string;
  header: string;
  render: (row: Row) => ReactNode;
  numeric?: boolean;
  sortable?: boolean;
}

export interface SortState {
  key: string;
  descending: boolean;
}

interface DataTableProps<Row> {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  sort?: SortState;
  onSort?: (sort: SortState) => void;
}

export function DataTable<Row>({ caption, columns, rows, rowKey, sort, onSort }: DataTableProps<Row>) {
  const { t } = useI18n();

  function ariaSort(key: string): "ascending" | "descending" | undefined {
    if (sort?.key !== key) return undefined;
    return sort.descending ? "descending" : "ascending";
  }

  function header(column: Column<Row>) {
    if (!column.sortable || !onSort) return column.header;
    const active = sort?.key === column.key;
    const next = { key: column.key, descending: active ? !sort?.descending : false };
    return (
      <button type="button" className="sort" onClick={() => onSort(next)}>
        {column.header}
        {active && <span aria-hidden="true">{sort?.descending ? " ▼" : " ▲"}</span>}
        {active && <span className="visually-hidden">, {t(sort?.descending ? "table.sortDesc" : "table.sortAsc")}</span>}
      </button>
    );
  }

  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" aria-sort={ariaSort(column.key)} className={column.numeric ? "num" : undefined}>
                {header(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.key} className={column.numeric ? "num" : undefined}>
                  {column.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
