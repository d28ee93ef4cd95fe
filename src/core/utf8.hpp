#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// UTF-8 as every text ec2m stores or logs must be: well-formed (no overlong forms, surrogates or
// code points above U+10FFFF), checked before storage, cut on character boundaries.
namespace ec2m {

// Length of the well-formed UTF-8 sequence starting at text[i] (1 for ASCII, 2..4), or 0 when
// none starts there. REQUIRES: i < text.size().
size_t Utf8SequenceLength(std::string_view text, size_t i);

// Whether all of `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// `text` without what follows its first `max_bytes` bytes, cut before a character that would not
// fit whole (so valid UTF-8 stays valid).
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

// `text` with every byte that does not begin a well-formed sequence replaced by U+FFFD: for logs,
// where a client's bytes are shown but must not break the line's encoding.
std::string SanitizeUtf8(std::string_view text);

// SanitizeUtf8, and every control character (C0, DEL) written as \xNN: a client's bytes on one
// line of a text log, unable to start a line of their own.
std::string LogSafe(std::string_view text);

}  // namespace ec2m
