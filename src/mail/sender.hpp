#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>

#include "core/config.hpp"
#include "mail/message.hpp"

namespace bijou::mail {

// Delivers messages. Throws jobs::PermanentFailure when the server refuses the recipient
// for good, std::runtime_error for failures worth retrying.
class Sender {
public:
    virtual ~Sender() = default;
    virtual boost::asio::awaitable<void> send(const Message& message) = 0;
};

// The sender mail.transport selects: SMTP through libcurl, or the log.
std::unique_ptr<Sender> make_sender(const MailConfig& config);

}  // namespace bijou::mail
