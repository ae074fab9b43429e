#include "mail/message.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "core/base64.hpp"
#include "mail/template.hpp"

namespace {

using bijou::mail::encode_header_text;

std::string decode_words(const std::string& header) {
    std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)");
    std::string out;
    for (std::sregex_iterator it(header.begin(), header.end(), word), last; it != last; ++it) {
        out += bijou::decode_base64((*it)[1].str()).value_or("");
    }
    return out;
}

TEST(MailHeader, PlainAsciiStaysAsItIs) {
    EXPECT_EQ(encode_header_text("Bijou"), "Bijou");
}

TEST(MailHeader, Utf8BecomesEncodedWordsThatRoundTrip) {
    std::string subject = "Redefinição de senha na Bijou";
    auto encoded = encode_header_text(subject);
    EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?"));
    EXPECT_EQ(decode_words(encoded), subject);
}

TEST(MailHeader, SplitsLongTextAtCharacterBoundaries) {
    std::string subject;
    for (int i = 0; i < 40; ++i) subject += "ção ";
    auto encoded = encode_header_text(subject);
    std::size_t start = 0;
    int words = 0;
    while (start < encoded.size()) {
        auto end = encoded.find("\r\n ", start);
        auto word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
        EXPECT_LE(word.size(), 75u);
        // Each word decodes to valid UTF-8 on its own: no sequence is split.
        auto bytes = bijou::decode_base64(word.substr(10, word.size() - 12)).value_or("");
        EXPECT_FALSE(bytes.empty());
        EXPECT_NE(static_cast<unsigned char>(bytes.front()) & 0xC0, 0x80);
        ++words;
        start = end == std::string::npos ? encoded.size() : end + 3;
    }
    EXPECT_GT(words, 1);
    EXPECT_EQ(decode_words(encoded), subject);
}

TEST(MailHeader, CrLfInANameCannotInjectHeaders) {
    auto encoded = encode_header_text("Ana\r\nBcc: vitima@exemplo.com");
    EXPECT_EQ(encoded.find("\r\nBcc"), std::string::npos);
    EXPECT_EQ(decode_words(encoded), "Ana\r\nBcc: vitima@exemplo.com");
}

bijou::mail::Message sample() {
    bijou::mail::Message message;
    message.from = {"nao-responda@loja.example", "Bijou"};
    message.to = {"ana@exemplo.com.br", "Ana Souza"};
    message.content = {"Olá", "texto", "<p>html</p>"};
    return message;
}

TEST(MailFormat, WritesBothPartsInBase64WithCrLf) {
    auto text = bijou::mail::format(sample(), std::chrono::system_clock::time_point{});
    EXPECT_NE(text.find("From: Bijou <nao-responda@loja.example>\r\n"), std::string::npos);
    EXPECT_NE(text.find("To: Ana Souza <ana@exemplo.com.br>\r\n"), std::string::npos);
    EXPECT_NE(text.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(text.find("Message-ID: <"), std::string::npos);
    EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                        bijou::encode_base64("texto")),
              std::string::npos);
    EXPECT_NE(text.find(bijou::encode_base64("<p>html</p>")), std::string::npos);
    EXPECT_LT(text.find("text/plain"), text.find("text/html"));
    EXPECT_EQ(std::regex_search(text, std::regex("[^\r]\n")), false);
}

TEST(MailFormat, RefusesAddressesThatBreakHeaders) {
    auto message = sample();
    message.to.email = "ana@exemplo.com.br>\r\nBcc: outro@exemplo.com";
    EXPECT_THROW(bijou::mail::format(message, {}), std::invalid_argument);
    message.to.email = "sem-arroba";
    EXPECT_THROW(bijou::mail::format(message, {}), std::invalid_argument);
}

TEST(MailTemplate, EscapesValuesInTheHtmlPartOnly) {
    auto content = bijou::mail::render("verify_email", "pt-BR",
                                       {{"name", "<b>Ana</b> & Cia"}, {"link", "https://loja.example/x?token=1"}, {"hours", "48"}});
    EXPECT_EQ(content.subject, "Confirme seu e-mail na Bijou");
    EXPECT_NE(content.text.find("Olá, <b>Ana</b> & Cia!"), std::string::npos);
    EXPECT_NE(content.html.find("Olá, &lt;b&gt;Ana&lt;/b&gt; &amp; Cia!"), std::string::npos);
    EXPECT_EQ(content.html.find("<b>Ana"), std::string::npos);
    EXPECT_NE(content.html.find("<html lang=\"pt-BR\">"), std::string::npos);
    EXPECT_EQ(content.html.find("{{"), std::string::npos);
}

TEST(MailTemplate, UnknownLocaleFallsBackToPortuguese) {
    auto content = bijou::mail::render("password_reset", "fr", {{"name", "Ana"}, {"link", "x"}, {"minutes", "60"}});
    EXPECT_EQ(content.subject, "Redefinição de senha na Bijou");
}

TEST(MailTemplate, EveryTemplateRendersInBothLanguages) {
    std::map<std::string, std::string> values{{"name", "Ana"}, {"link", "https://loja.example/l"}, {"hours", "48"},
                                              {"minutes", "15"}, {"until", "04/12/2026 20:15"}};
    for (const char* name : {"verify_email", "password_reset", "account_locked"}) {
        for (const char* locale : {"pt-BR", "en"}) {
            auto content = bijou::mail::render(name, locale, values);
            EXPECT_FALSE(content.subject.empty()) << name << " " << locale;
            EXPECT_NE(content.text.find("https://loja.example/l"), std::string::npos) << name << " " << locale;
            EXPECT_NE(content.html.find("https://loja.example/l"), std::string::npos) << name << " " << locale;
        }
    }
}

TEST(MailTemplate, MissingValuesAndUnknownTemplatesThrow) {
    EXPECT_THROW(bijou::mail::render("verify_email", "pt-BR", {{"name", "Ana"}}), std::invalid_argument);
    EXPECT_THROW(bijou::mail::render("no_such_mail", "pt-BR", {}), std::invalid_argument);
}

}  // namespace
