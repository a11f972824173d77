import Testing
@testable import WikiEditsTopology

/// Expected answers agree with Python's `ipaddress.ip_address` (accepts: true, raises ValueError: false).
@Suite struct AnonymousUserTests {
    static let secret: (UInt64, UInt64) = (0x5472_6962_7574_6172, 0x7957_696b_6945_6474)

    @Test(arguments: [
        ("127.0.0.1", true), ("2001:db8::1", true), ("::ffff:192.0.2.1", true), ("Example", false),
        ("~2026-12881-95", false), ("1.2.3", false), ("256.1.1.1", false), ("1:2:3:4:5:6:7:8", true),
        ("1::2::3", false), ("0.0.0.0", true), ("255.255.255.255", true), ("::", true), ("::1", true),
        ("FE80::ABCD", true), ("1:2:3:4:5:6:7::", true), ("1:2:3:4:5:6:1.2.3.4", true),
        ("1:2:3:4:5:6:7:8:9", false), ("1:2:3:4:5:6:7:8::", false), ("1::2:3:4:5:6:7:8", false),
        (":1:2:3:4:5:6:7", false), ("1.2.3.4::", false), ("1.2.3.4 ", false), ("", false), ("12345::1", false),
        ("g::1", false), ("::1.2.3.4.5", false), ("1.2.3.-4", false), ("１.２.３.４", false),
    ])
    func detectsIPAddresses(user: String, isIP: Bool) {
        #expect(AnonymousUser.isIPAddress(user) == isIP)
    }

    @Test
    func fullwidthHexDigitsAreNotIPv6() {
        // Python: ipaddress.ip_address("ａ::1") raises ValueError.
        #expect(!AnonymousUser.isIPAddress("ａ::1"))
        #expect(!AnonymousUser.isIPAddress("ｆｅ８０::１"))
    }

    @Test func pseudonymIsIPPrefixAndSixteenHexDigits() throws {
        let anonymizer = AnonymousUser(secret: Self.secret)
        // Computed with an independent Python SipHash-2-4 of the UTF-8 address under the default secret.
        #expect(anonymizer.pseudonym(for: "127.0.0.1") == "ip-d684094567055dca")
        #expect(anonymizer.pseudonym(for: "2001:db8::1") == "ip-15f12c2d73257938")
        let other = AnonymousUser(secret: (1, 2))
        #expect(other.pseudonym(for: "127.0.0.1") == "ip-fe26fb758bda25e5")
        #expect(other.pseudonym(for: "2001:db8::1") == "ip-69a0e3f136367cb5")
    }

    @Test func pseudonymIsStableAndDiffersPerSecretAndAddress() throws {
        let one = AnonymousUser(secret: Self.secret)
        let same = AnonymousUser(secret: Self.secret)
        let other = AnonymousUser(secret: (Self.secret.0, Self.secret.1 ^ 1))
        for address in ["127.0.0.1", "2001:db8::1", "::ffff:192.0.2.1", "10.0.0.1"] {
            let pseudonym = try #require(one.pseudonym(for: address))
            #expect(pseudonym == one.pseudonym(for: address))
            #expect(pseudonym == same.pseudonym(for: address))
            #expect(pseudonym != other.pseudonym(for: address))
            #expect(pseudonym.count == 19)
            #expect(pseudonym.hasPrefix("ip-"))
            #expect(pseudonym.dropFirst(3).allSatisfy { "0123456789abcdef".contains($0) })
        }
        #expect(one.pseudonym(for: "10.0.0.1") != one.pseudonym(for: "10.0.0.2"))
    }

    @Test(arguments: ["Example", "~2026-12881-95", "1.2.3", "Jane Doe", ""])
    func accountNamesHaveNoPseudonym(user: String) {
        #expect(AnonymousUser(secret: Self.secret).pseudonym(for: user) == nil)
    }

    /// Reference vectors of SipHash-2-4 (Aumasson and Bernstein's `vectors.h`): key bytes 00..0f, message
    /// bytes 00..(n-1). Also checked with an independent Python implementation.
    @Test(arguments: [
        (0, UInt64(0x726f_db47_dd0e_0e31)), (1, 0x74f8_39c5_93dc_67fd), (7, 0xab02_00f5_8b01_d137),
        (8, 0x93f5_f579_9a93_2462), (15, 0xa129_ca61_49be_45e5), (63, 0x958a_324c_eb06_4572),
    ])
    func sipHashMatchesReferenceVectors(length: Int, expected: UInt64) {
        let k0: UInt64 = 0x0706_0504_0302_0100
        let k1: UInt64 = 0x0f0e_0d0c_0b0a_0908
        let message = (0..<length).map { UInt8($0) }
        #expect(SipHash24.hash(message, k0: k0, k1: k1) == expected)
    }
}
