// Files embedded into the binary at build time (cmake/Embed.cmake): reference data such as
// the administrative units, migrations and checker rules, so `khien` runs from any folder.
#pragma once

#include <cstddef>
#include <string_view>

namespace khien {

struct EmbeddedFile {
  const char* name;  // path relative to the embedding folder, e.g. "vn_units_2026.json"
  const char* data;  // `size` bytes followed by a NUL
  size_t size;

  std::string_view contents() const { return {data, size}; }
};

}  // namespace khien
