// The version every netshard program reports (--version, agent hello,
// `coord agents`).
#ifndef NETSHARD_COMMON_VERSION_H_
#define NETSHARD_COMMON_VERSION_H_

namespace netshard {

inline constexpr char kVersion[] = "0.1.0";

}  // namespace netshard

#endif  // NETSHARD_COMMON_VERSION_H_
