#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bijou::payments {

// A QR code as modules (dark or light squares), without the quiet zone.
struct QrMatrix {
    // Modules per side.
    int width = 0;
    // Row-major, width * width entries, true for a dark module.
    std::vector<bool> dark;
};

// Encodes `payload` as a QR code with error correction level M and the smallest version
// that fits, as libqrencode chooses it. Throws std::invalid_argument when the payload is
// empty or too long for any version, std::runtime_error when libqrencode fails otherwise.
QrMatrix encode_qr(std::string_view payload);

// Renders a QR code as a black-and-white PNG (1 bit per pixel) with a quiet zone of 4
// modules on each side. Each module becomes a square of whole pixels, sized so that the
// image width comes closest to `target_pixels`. Returns the PNG file's bytes.
std::string render_qr_png(const QrMatrix& matrix, int target_pixels = 300);

// The PNG of encode_qr(payload), about 300 pixels wide, in standard base64.
std::string qr_png_base64(std::string_view payload);

// Modules of quiet zone around the code, as ISO/IEC 18004 requires.
inline constexpr int kQrQuietZone = 4;

}  // namespace bijou::payments
