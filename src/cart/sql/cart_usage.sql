-- Units of a variant and of a pendant option already in a cart, over all its lines, and
-- the quantity of the line with exactly this configuration. $1 cart id, $2 variant id,
-- $3 pendant option id or NULL, $4 engraving or NULL, $5 line id to leave out or NULL.
SELECT coalesce(sum(quantity) FILTER (WHERE variant_id = $2), 0) AS variant_units,
       coalesce(sum(quantity) FILTER (WHERE $3::uuid IS NOT NULL AND pendant_option_id = $3), 0) AS pendant_units,
       coalesce(sum(quantity) FILTER (WHERE variant_id = $2 AND pendant_option_id IS NOT DISTINCT FROM $3::uuid
                                        AND engraving IS NOT DISTINCT FROM $4::text), 0) AS same_line_units
  FROM cart_item
 WHERE cart_id = $1 AND ($5::uuid IS NULL OR id <> $5::uuid)
