#include "mail/sender.hpp"

#include <curl/curl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>
#include <stdexcept>

#include "core/log.hpp"
#include "jobs/queue.hpp"

namespace bijou::mail {

namespace asio = boost::asio;

namespace {

// Writes each message to the log instead of sending it: the local stack, where links in
// the messages are what a developer needs.
class LogSender final : public Sender {
public:
    asio::awaitable<void> send(const Message& message) override {
        log::info("e-mail not sent (mail.transport is log)",
                  {{"to", message.to.email}, {"subject", message.content.subject}, {"text", message.content.text}});
        co_return;
    }
};

struct Upload {
    std::string_view data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    std::size_t length = std::min(size * count, upload->data.size() - upload->offset);
    std::memcpy(buffer, upload->data.data() + upload->offset, length);
    upload->offset += length;
    return length;
}

// SMTP replies that mean the recipient will never be accepted: mailbox unavailable, not
// local, name not allowed. Everything else (4xx, connection trouble, authentication) is
// worth another attempt once fixed.
bool is_permanent(long reply_code) {
    return reply_code == 550 || reply_code == 551 || reply_code == 553;
}

// Sends through one SMTP server with libcurl. libcurl blocks, so sends run on a small
// thread pool of their own and the worker's I/O thread keeps going.
class SmtpSender final : public Sender {
public:
    explicit SmtpSender(const MailConfig& config) : config_(config), threads_(2) {}
    ~SmtpSender() override { threads_.join(); }

    asio::awaitable<void> send(const Message& message) override {
        auto text = format(message, std::chrono::system_clock::now());
        auto from = "<" + message.from.email + ">";
        auto to = "<" + message.to.email + ">";
        co_await asio::co_spawn(threads_, transfer(text, from, to), asio::use_awaitable);
    }

private:
    asio::awaitable<void> transfer(std::string text, std::string from, std::string to) {
        deliver(text, from, to);
        co_return;
    }

    void deliver(const std::string& text, const std::string& from, const std::string& to) const {
        std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
        if (!curl) throw std::runtime_error("libcurl could not start a transfer");
        std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(curl_slist_append(nullptr, to.c_str()),
                                                                               &curl_slist_free_all);
        Upload upload{text};
        char error[CURL_ERROR_SIZE] = {};

        auto* handle = curl.get();
        curl_easy_setopt(handle, CURLOPT_URL, config_.smtp_url.c_str());
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
        curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
        curl_easy_setopt(handle, CURLOPT_READFUNCTION, read_upload);
        curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
        curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(handle, CURLOPT_USE_SSL, config_.require_tls ? static_cast<long>(CURLUSESSL_ALL)
                                                                      : static_cast<long>(CURLUSESSL_TRY));
        curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
        curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<std::int64_t>(config_.timeout.count(), 10'000)));
        curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
        if (!config_.smtp_username.empty()) {
            curl_easy_setopt(handle, CURLOPT_USERNAME, config_.smtp_username.c_str());
            curl_easy_setopt(handle, CURLOPT_PASSWORD, config_.smtp_password.c_str());
        }

        CURLcode result = curl_easy_perform(handle);
        if (result == CURLE_OK) return;
        long reply = 0;
        curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
        std::string reason = "SMTP delivery failed: " + std::string(error[0] != '\0' ? error : curl_easy_strerror(result)) +
                             " (reply " + std::to_string(reply) + ")";
        if (is_permanent(reply)) throw jobs::PermanentFailure(reason);
        throw std::runtime_error(reason);
    }

    const MailConfig& config_;
    asio::thread_pool threads_;
};

}  // namespace

std::unique_ptr<Sender> make_sender(const MailConfig& config) {
    if (config.transport == "smtp") return std::make_unique<SmtpSender>(config);
    return std::make_unique<LogSender>();
}

}  // namespace bijou::mail
