#pragma once

#include <ostream>
#include <string>

namespace bijou::catalog {

// Loads the demo catalogue from `seed_dir` (collections.json, pendant_options.json,
// products.json) in one transaction. Rows are upserted by slug, code and SKU, so a second
// run changes nothing. Stock is set only for new rows, so re-seeding a shop that has taken
// orders keeps its stock. Throws std::runtime_error naming the file and entry at fault.
void load_seed(const std::string& database_url, const std::string& seed_dir, std::ostream& out);

}  // namespace bijou::catalog
