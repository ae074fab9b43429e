#include "payments/qr.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <stdexcept>

#include "core/base64.hpp"
#include "payments/pix.hpp"

using namespace bijou::payments;

namespace {

std::uint32_t read_u32(const std::string& bytes, std::size_t offset) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + 3]));
}

// A decoded 1-bit grayscale PNG: true for a black pixel.
struct Bitmap {
    int width = 0;
    int height = 0;
    std::vector<bool> black;
    bool at(int x, int y) const { return black[static_cast<std::size_t>(y * width + x)]; }
};

// Decodes the PNGs render_qr_png writes (one IDAT chunk, filter type 0 on every row),
// checking each chunk's CRC on the way.
Bitmap decode_png(const std::string& png) {
    if (png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) != 0) throw std::runtime_error("no PNG signature");
    Bitmap bitmap;
    std::string idat;
    std::size_t offset = 8;
    while (offset + 12 <= png.size()) {
        auto length = read_u32(png, offset);
        auto type = png.substr(offset + 4, 4);
        auto data = png.substr(offset + 8, length);
        auto stored_crc = read_u32(png, offset + 8 + length);
        auto crc = crc32(0L, reinterpret_cast<const Bytef*>(png.data() + offset + 4), length + 4);
        if (crc != stored_crc) throw std::runtime_error("bad CRC in chunk " + type);
        if (type == "IHDR") {
            bitmap.width = static_cast<int>(read_u32(data, 0));
            bitmap.height = static_cast<int>(read_u32(data, 4));
            if (data[8] != 1 || data[9] != 0) throw std::runtime_error("not 1-bit grayscale");
        } else if (type == "IDAT") {
            idat += data;
        }
        offset += 12 + length;
    }
    auto row_bytes = static_cast<std::size_t>((bitmap.width + 7) / 8);
    std::string raw((row_bytes + 1) * static_cast<std::size_t>(bitmap.height), '\0');
    uLongf raw_size = raw.size();
    if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size, reinterpret_cast<const Bytef*>(idat.data()),
                   idat.size()) != Z_OK ||
        raw_size != raw.size()) {
        throw std::runtime_error("IDAT does not inflate to the image size");
    }
    for (int y = 0; y < bitmap.height; ++y) {
        auto row = static_cast<std::size_t>(y) * (row_bytes + 1);
        if (raw[row] != 0) throw std::runtime_error("unexpected filter type");
        for (int x = 0; x < bitmap.width; ++x) {
            auto byte = static_cast<unsigned char>(raw[row + 1 + static_cast<std::size_t>(x / 8)]);
            bitmap.black.push_back((byte & (0x80 >> (x % 8))) == 0);
        }
    }
    return bitmap;
}

std::string sample_code() {
    PixPayload payload;
    payload.key = "pix@bijou.example";
    payload.amount = 12990;
    payload.merchant_name = "Bijou";
    payload.merchant_city = "Sao Paulo";
    payload.txid = "BJ2026000123";
    return build_pix_code(payload);
}

}  // namespace

TEST(Qr, PngHasSignatureAndSize) {
    auto matrix = encode_qr(sample_code());
    auto png = render_qr_png(matrix);
    ASSERT_GE(png.size(), 33u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    auto width = read_u32(png, 16);
    auto height = read_u32(png, 20);
    EXPECT_EQ(width, height);
    auto modules = static_cast<std::uint32_t>(matrix.width + 2 * kQrQuietZone);
    EXPECT_EQ(width % modules, 0u);
    EXPECT_GE(width, 250u);
    EXPECT_LE(width, 350u);
}

TEST(Qr, PngDecodesToQrencodeModules) {
    auto matrix = encode_qr(sample_code());
    auto bitmap = decode_png(render_qr_png(matrix));
    int modules = matrix.width + 2 * kQrQuietZone;
    ASSERT_EQ(bitmap.width % modules, 0);
    int scale = bitmap.width / modules;
    int dark_modules = 0;
    for (int y = 0; y < modules; ++y) {
        for (int x = 0; x < modules; ++x) {
            int module_x = x - kQrQuietZone;
            int module_y = y - kQrQuietZone;
            bool inside = module_x >= 0 && module_y >= 0 && module_x < matrix.width && module_y < matrix.width;
            bool expected = inside && matrix.dark[static_cast<std::size_t>(module_y * matrix.width + module_x)];
            // The centre pixel and a corner pixel of each module must agree with the matrix.
            ASSERT_EQ(bitmap.at(x * scale + scale / 2, y * scale + scale / 2), expected) << "module " << x << "," << y;
            ASSERT_EQ(bitmap.at(x * scale, y * scale), expected) << "module " << x << "," << y;
            if (expected) ++dark_modules;
        }
    }
    EXPECT_GT(dark_modules, 0);
}

TEST(Qr, FinderPatternInCorner) {
    auto matrix = encode_qr(sample_code());
    // A finder pattern: a 7x7 dark ring, a light ring, and a 3x3 dark centre.
    EXPECT_TRUE(matrix.dark[0]);
    EXPECT_TRUE(matrix.dark[6]);
    EXPECT_TRUE(matrix.dark[static_cast<std::size_t>(6 * matrix.width)]);
    EXPECT_FALSE(matrix.dark[static_cast<std::size_t>(1 * matrix.width + 1)]);
    EXPECT_TRUE(matrix.dark[static_cast<std::size_t>(3 * matrix.width + 3)]);
    // Version 1 is 21 modules wide and each version adds 4.
    EXPECT_EQ((matrix.width - 21) % 4, 0);
}

TEST(Qr, Base64IsThePng) {
    auto code = sample_code();
    auto decoded = bijou::decode_base64(qr_png_base64(code));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, render_qr_png(encode_qr(code)));
}

TEST(Qr, RejectsEmptyAndOversizePayloads) {
    EXPECT_THROW(encode_qr(""), std::invalid_argument);
    // Version 40 at level M has room for 2331 bytes, and lower-case letters need byte mode.
    EXPECT_THROW(encode_qr(std::string(3000, 'a')), std::invalid_argument);
}
