// Reading a whole (small) file — inventories, configs, certificates,
// secrets — so each loader only says what the file was for when it fails.
#ifndef NETSHARD_COMMON_FILE_TEXT_H_
#define NETSHARD_COMMON_FILE_TEXT_H_

#include <optional>
#include <string>

namespace netshard {

// The file's bytes, or nullopt if it cannot be opened.
std::optional<std::string> ReadFileText(const std::string& path);

}  // namespace netshard

#endif  // NETSHARD_COMMON_FILE_TEXT_H_
