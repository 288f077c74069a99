#pragma once
// A self-signed certificate (by default for localhost and 127.0.0.1), made fresh by each test
// run (valid from an hour ago for a day), so no key is checked in and no clock makes it stale.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace aop::test {

struct TestCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

inline TestCertificate make_test_certificate(const char* subject_alt_names = "DNS:localhost,IP:127.0.0.1") {
  auto check = [](bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
  };
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  check(key != nullptr, "key");
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509* x = cert.get();
  check(X509_set_version(x, 2) == 1, "version");
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  check(X509_set_pubkey(x, key.get()) == 1, "public key");
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("aop test server"), -1,
                             -1, 0);
  check(X509_set_issuer_name(x, name) == 1, "issuer");
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] :
       {std::pair{NID_subject_alt_name, subject_alt_names}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "extension");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  check(X509_sign(x, key.get(), EVP_sha256()) > 0, "signature");

  auto to_pem = [&](auto write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    check(write(bio.get()) == 1, "PEM");
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
  };
  TestCertificate out;
  out.certificate_pem = to_pem([&](BIO* b) { return PEM_write_bio_X509(b, x); });
  out.private_key_pem =
      to_pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  return out;
}

}  // namespace aop::test
