#include "payments/qr.hpp"

#include <qrencode.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <stdexcept>

#include "core/base64.hpp"

namespace bijou::payments {

namespace {

void append_u32(std::string& out, std::uint32_t value) {
    out += static_cast<char>((value >> 24) & 0xFF);
    out += static_cast<char>((value >> 16) & 0xFF);
    out += static_cast<char>((value >> 8) & 0xFF);
    out += static_cast<char>(value & 0xFF);
}

// Appends a PNG chunk: length, type, data, and the CRC-32 of type and data.
void append_chunk(std::string& png, std::string_view type, std::string_view data) {
    append_u32(png, static_cast<std::uint32_t>(data.size()));
    std::string typed(type);
    typed += data;
    png += typed;
    auto crc = crc32(0L, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()));
    append_u32(png, static_cast<std::uint32_t>(crc));
}

}  // namespace

QrMatrix encode_qr(std::string_view payload) {
    if (payload.empty()) throw std::invalid_argument("QR payload is empty");
    std::string text(payload);
    if (text.find('\0') != std::string::npos) throw std::invalid_argument("QR payload contains a NUL byte");
    // libqrencode splits the text into numeric, alphanumeric and byte segments, whichever is
    // shortest; case-sensitive keeps lower-case letters as they are. Version 0 picks the
    // smallest version that fits.
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) {
        if (errno == ERANGE) {
            throw std::invalid_argument("QR payload of " + std::to_string(payload.size()) +
                                        " bytes is too long for a QR code");
        }
        throw std::runtime_error("libqrencode could not encode the QR payload (errno " + std::to_string(errno) + ")");
    }
    QrMatrix matrix;
    matrix.width = code->width;
    auto cells = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
    matrix.dark.resize(cells);
    // libqrencode sets bit 0 of each byte for a dark module; the other bits describe its role.
    for (std::size_t i = 0; i < cells; ++i) matrix.dark[i] = (code->data[i] & 1) != 0;
    return matrix;
}

std::string render_qr_png(const QrMatrix& matrix, int target_pixels) {
    if (matrix.width <= 0 ||
        matrix.dark.size() != static_cast<std::size_t>(matrix.width) * static_cast<std::size_t>(matrix.width)) {
        throw std::invalid_argument("QR matrix is empty or not square");
    }
    int modules = matrix.width + 2 * kQrQuietZone;
    int scale = std::max(1, (target_pixels + modules / 2) / modules);
    int side = modules * scale;

    // Each row is a filter byte (0, none) and 1 bit per pixel, most significant bit first,
    // where 1 is white in PNG grayscale.
    auto row_bytes = static_cast<std::size_t>((side + 7) / 8);
    std::string raw;
    raw.reserve((row_bytes + 1) * static_cast<std::size_t>(side));
    for (int y = 0; y < side; ++y) {
        raw += '\0';
        int module_y = y / scale - kQrQuietZone;
        std::string row(row_bytes, '\0');
        for (int x = 0; x < side; ++x) {
            int module_x = x / scale - kQrQuietZone;
            bool inside = module_x >= 0 && module_x < matrix.width && module_y >= 0 && module_y < matrix.width;
            bool dark = inside && matrix.dark[static_cast<std::size_t>(module_y * matrix.width + module_x)];
            if (!dark) row[static_cast<std::size_t>(x / 8)] |= static_cast<char>(0x80 >> (x % 8));
        }
        raw += row;
    }

    uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
    std::string compressed(compressed_size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size,
                  reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                  Z_BEST_COMPRESSION) != Z_OK) {
        throw std::runtime_error("zlib could not compress the QR image");
    }
    compressed.resize(compressed_size);

    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    append_u32(header, static_cast<std::uint32_t>(side));
    append_u32(header, static_cast<std::uint32_t>(side));
    header += '\x01';  // bit depth
    header += '\x00';  // color type: grayscale
    header += '\x00';  // compression method: deflate
    header += '\x00';  // filter method: adaptive
    header += '\x00';  // interlace: none
    append_chunk(png, "IHDR", header);
    append_chunk(png, "IDAT", compressed);
    append_chunk(png, "IEND", "");
    return png;
}

std::string qr_png_base64(std::string_view payload) {
    return encode_base64(render_qr_png(encode_qr(payload)));
}

}  // namespace bijou::payments
