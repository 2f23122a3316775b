#include "common/tls_files.h"


#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/file_text.h"
#include "common/status_macros.h"

namespace netshard {
namespace {

// The file's text, which must hold a PEM block of `kind` ("CERTIFICATE",
// "PRIVATE KEY" — which also matches "EC PRIVATE KEY" and the like).
absl::StatusOr<std::string> ReadPem(const std::string& path, const std::string& name,
                                    const std::string& kind) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is missing: mutual TLS needs a CA, a certificate and its key"));
  }
  std::optional<std::string> pem = ReadFileText(path);
  if (!pem) return absl::InvalidArgumentError(absl::StrCat(name, " ", path, ": cannot read"));
  if (!absl::StrContains(*pem, "-----BEGIN ") || !absl::StrContains(*pem, kind + "-----")) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " ", path, ": holds no PEM ", absl::AsciiStrToLower(kind)));
  }
  return *std::move(pem);
}

}  // namespace

absl::StatusOr<TlsMaterial> LoadTls(const TlsFiles& files, const TlsFiles& names) {
  TlsMaterial material;
  ASSIGN_OR_RETURN(material.ca_pem, ReadPem(files.ca, names.ca, "CERTIFICATE"));
  ASSIGN_OR_RETURN(material.cert_pem, ReadPem(files.cert, names.cert, "CERTIFICATE"));
  ASSIGN_OR_RETURN(material.key_pem, ReadPem(files.key, names.key, "PRIVATE KEY"));
  return material;
}

}  // namespace netshard
