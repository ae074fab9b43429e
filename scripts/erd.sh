#!/usr/bin/env bash
# Prints a Mermaid erDiagram of the live schema of a PostgreSQL database: every table with
# its columns and types, PK/FK/UK marks, and one relationship per foreign key.
#
#   scripts/erd.sh [CONNECTION_STRING] [SCHEMA]
#
# CONNECTION_STRING defaults to postgresql://bijou@127.0.0.1:55432/bijou and SCHEMA to
# public. The output goes to stdout, ready to paste into a ```mermaid block.
set -euo pipefail

if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,8s/^# \{0,1\}//p' "$0"
    exit 0
fi

DSN=${1:-postgresql://bijou@127.0.0.1:55432/bijou}
SCHEMA=${2:-public}

run_query() {
    psql -X -v ON_ERROR_STOP=1 -qAt -v schema="$SCHEMA" -d "$DSN" -f -
}

# Entities. Types are shortened to one word each, because Mermaid attribute types may not
# contain spaces or commas (timestamp with time zone becomes timestamptz, character(2) becomes
# char(2), numeric(10,2) becomes numeric(10_2)).
# A column is UK when a unique constraint or a unique index without a WHERE clause covers it
# alone. Partial unique indexes (such as "one default address per customer") are left out.
ENTITIES_SQL=$(cat <<'SQL'
WITH tables AS (
    SELECT c.oid, c.relname
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = :'schema' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
),
columns AS (
    SELECT t.relname, a.attnum, a.attname,
           regexp_replace(
               replace(replace(replace(replace(format_type(a.atttypid, a.atttypmod),
                   'timestamp with time zone', 'timestamptz'),
                   'timestamp without time zone', 'timestamp'),
                   'character varying', 'varchar'),
                   'character', 'char'),
               '[^A-Za-z0-9_()\[\]]', '_', 'g') AS type_name,
           EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conrelid = t.oid AND k.contype = 'p' AND a.attnum = ANY (k.conkey)) AS is_pk,
           EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conrelid = t.oid AND k.contype = 'f' AND a.attnum = ANY (k.conkey)) AS is_fk,
           EXISTS (SELECT 1 FROM pg_index i
                    WHERE i.indrelid = t.oid AND i.indisunique AND NOT i.indisprimary
                      AND i.indpred IS NULL AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum) AS is_uk
      FROM tables t
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
)
SELECT line FROM (
    SELECT relname, 0 AS attnum, '    ' || relname || ' {' AS line FROM tables
    UNION ALL
    SELECT relname, attnum,
           '        ' || type_name || ' ' || attname
           || coalesce(' ' || nullif(concat_ws(', ',
                  CASE WHEN is_pk THEN 'PK' END,
                  CASE WHEN is_fk THEN 'FK' END,
                  CASE WHEN is_uk AND NOT is_pk THEN 'UK' END), ''), '')
      FROM columns
    UNION ALL
    SELECT relname, 32767, '    }' FROM tables
) lines
ORDER BY relname, attnum;
SQL
)

# Relationships, parent first. The child side is "zero or more" unless the foreign key
# columns are also unique (then "zero or one"), and the parent side is "exactly one" when
# every foreign key column is NOT NULL, else "zero or one". The label names the columns.
RELATIONSHIPS_SQL=$(cat <<'SQL'
SELECT '    ' || parent.relname || ' '
       || CASE WHEN bool_and(a.attnotnull) THEN '||' ELSE '|o' END
       || '--'
       || CASE WHEN EXISTS (SELECT 1 FROM pg_index i
                             WHERE i.indrelid = k.conrelid AND i.indisunique
                               AND i.indpred IS NULL
                               AND (i.indkey::int2[])[0:i.indnkeyatts - 1] @> k.conkey
                               AND (i.indkey::int2[])[0:i.indnkeyatts - 1] <@ k.conkey)
               THEN 'o|' ELSE 'o{' END
       || ' ' || child.relname || ' : "' || string_agg(a.attname, ', ' ORDER BY u.ord) || '"'
  FROM pg_constraint k
  JOIN pg_class child ON child.oid = k.conrelid
  JOIN pg_class parent ON parent.oid = k.confrelid
  JOIN pg_namespace n ON n.oid = child.relnamespace
  CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u (attnum, ord)
  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
 WHERE k.contype = 'f' AND n.nspname = :'schema' AND NOT child.relispartition
 GROUP BY k.oid, k.conrelid, k.conkey, parent.relname, child.relname, k.conname
 ORDER BY parent.relname, child.relname, k.conname;
SQL
)

entities=$(run_query <<<"$ENTITIES_SQL")
relationships=$(run_query <<<"$RELATIONSHIPS_SQL")

if [ -z "$entities" ]; then
    # The connection string is left out of the message because it may contain a password.
    echo "erd.sh: no tables found in schema '$SCHEMA'. Check the connection string and the schema name." >&2
    exit 1
fi

echo "erDiagram"
printf '%s\n' "$entities"
if [ -n "$relationships" ]; then
    printf '%s\n' "$relationships"
fi
