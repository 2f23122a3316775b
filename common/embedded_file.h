// Data files compiled into a program (platform definitions), so a binary
// copied anywhere still has them. netshard_embed_files() in CMakeLists.txt
// generates the function that lists them.
#ifndef NETSHARD_COMMON_EMBEDDED_FILE_H_
#define NETSHARD_COMMON_EMBEDDED_FILE_H_

#include "absl/strings/string_view.h"

namespace netshard {

struct EmbeddedFile {
  absl::string_view name;  // the file's name in the source tree, e.g. "cisco_ios.yaml"
  absl::string_view text;
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_EMBEDDED_FILE_H_
