#include "checkout/cleanup.hpp"

#include "checkout_sql.hpp"
#include "core/log.hpp"

namespace bijou::checkout {

namespace {
const db::Statement kPurgeKeys{"checkout.purge_idempotency_keys", sql::k_purge_idempotency_keys};
const db::Statement kAbandonCarts{"checkout.abandon_expired_carts", sql::k_abandon_expired_carts};
constexpr int kBatch = 1000;
constexpr Milliseconds kEvery{3'600'000};
}  // namespace

void add_cleanup_jobs(jobs::Worker& worker, db::Pool& pool) {
    worker.every("checkout.cleanup", kEvery, [&pool]() -> boost::asio::awaitable<void> {
        db::Params batch{std::to_string(kBatch)};
        std::int64_t keys = 0;
        std::int64_t carts = 0;
        while (true) {
            auto deleted = co_await pool.query(kPurgeKeys, batch);
            keys += deleted.affected_rows();
            if (deleted.affected_rows() < kBatch) break;
        }
        while (true) {
            auto abandoned = co_await pool.query(kAbandonCarts, batch);
            carts += abandoned.affected_rows();
            if (abandoned.affected_rows() < kBatch) break;
        }
        if (keys > 0 || carts > 0) log::info("checkout clean-up", {{"idempotency_keys", keys}, {"carts_abandoned", carts}});
    });
}

}  // namespace bijou::checkout
