import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { i96f32ToNumber, ipToText, raoToTao, u16ToUnit, u64f64ToNumber } from '../../src/core/bittensor/scaling';

describe('bittensor scaling', () => {
  it('scales u16 scores to 0..1', () => {
    assert.equal(u16ToUnit(0), 0);
    assert.equal(u16ToUnit(65_535), 1);
    assert.equal(u16ToUnit(32_767), 32_767 / 65_535);
  });

  it('turns RAO into TAO, exactly for bigints beyond 2^53', () => {
    assert.equal(raoToTao(1_000_000_000), 1);
    assert.equal(raoToTao(500_000), 0.0005);
    assert.equal(raoToTao(12_345_678_901_234_567_890n), 12_345_678_901.234568);
  });

  it('reads I96F32 bits (the moving price of netuid 1 at block 6,852,690)', () => {
    assert.equal(i96f32ToNumber(40_869_489n), 40_869_489 / 2 ** 32);
    assert.equal(i96f32ToNumber(3n << 32n), 3);
    assert.equal(i96f32ToNumber(-(1n << 31n)), -0.5);
    assert.equal(i96f32ToNumber((5n << 32n) + (1n << 30n)), 5.25);
  });

  it('reads U64F64 bits', () => {
    assert.equal(u64f64ToNumber(1n << 64n), 1);
    assert.equal(u64f64ToNumber((2n << 64n) + (1n << 63n)), 2.5);
    assert.equal(u64f64ToNumber(0n), 0);
  });

  it('prints IPv4 axons from the u128 (ip_type 4)', () => {
    assert.equal(ipToText(3_235_789_677n, 4), '192.222.59.109');
    assert.equal(ipToText(0x7f000001, 4), '127.0.0.1');
    assert.equal(ipToText(0xffffffffn, 4), '255.255.255.255');
    assert.throws(() => ipToText(1n << 32n, 4), /out of range/);
  });

  it('prints IPv6 axons per RFC 5952 (ip_type 6)', () => {
    assert.equal(ipToText(1n, 6), '::1');
    assert.equal(ipToText(0n, 6), '::');
    assert.equal(ipToText(0x2001_0db8_0000_0000_0000_0000_0000_0001n, 6), '2001:db8::1');
    // A single zero group is not shortened; the longest run of zeros is.
    assert.equal(ipToText(0x2001_0db8_0000_0001_0000_0000_0000_0001n, 6), '2001:db8:0:1::1');
    assert.equal(ipToText(0x2001_0db8_0001_0002_0003_0004_0005_0006n, 6), '2001:db8:1:2:3:4:5:6');
    assert.equal(ipToText(0x0000_0000_0000_0000_0000_ffff_c0de_3b6dn, 6), '::ffff:c0de:3b6d');
  });

  it('rejects an unknown ip_type', () => {
    assert.throws(() => ipToText(1n, 5), /unknown ip_type 5/);
  });
});
