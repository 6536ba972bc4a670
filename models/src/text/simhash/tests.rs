use super::*;
use crate::text::normalize::normalize;

/// Hand-written resubmissions: one character changed, punctuation or
/// emoji added, a word inserted.
const NEAR_DUPLICATES: &[(&str, &str)] = &[
    (
        "送餐太慢了,等了一个半小时,饭都凉了",
        "送餐太慢了,等了一个半小时,饭全凉了",
    ),
    (
        "送餐太慢了,等了一个半小时,饭都凉了",
        "送餐太慢了!!!等了一个半小时,饭都凉了!!!",
    ),
    (
        "快递员态度很差,打电话不接,放门口也不说一声",
        "快递员态度太差,打电话不接,放门口也不说一声",
    ),
    (
        "手机用了三天就黑屏了,售后还推脱说是人为损坏",
        "手机用了三天就黑屏了,售后还推说是人为损坏",
    ),
    (
        "这个月话费莫名多扣了五十块,客服查了也说不清楚",
        "这个月话费莫名多扣了50块,客服查了也说不清楚",
    ),
    (
        "APP更新到最新版本以后一直闪退,根本打不开",
        "APP更新到最新版本以后一直闪退,根本打不开!",
    ),
    (
        "APP更新到最新版本以后一直闪退,根本打不开",
        "app更新到最新版本以后一直闪退 根本打不开",
    ),
    (
        "衣服质量不错,就是尺码偏小,建议买大一号",
        "衣服质量不错,就是尺码偏小,建议买大一码",
    ),
    (
        "米饭是夹生的,菜也太咸了,再也不会点这家了",
        "米饭是夹生的,菜也太咸了,再也不点这家了",
    ),
    (
        "申请退款一个星期了还没到账,客服一直说在处理",
        "申请退款一个星期了还没到账,客服一直说在处理中",
    ),
    (
        "宽带经常掉线,晚上根本没法用,报修了三次都没修好",
        "宽带经常掉线,晚上根本没法用,报修了四次都没修好",
    ),
    (
        "信用卡还款明明按时还了,却显示逾期,影响征信",
        "信用卡还款明明按时还了,却显示逾期,影响我的征信",
    ),
    (
        "热水器安装师傅收了额外的材料费,也没有给发票",
        "热水器安装师傅收了额外的材料费,也没给发票",
    ),
    (
        "牛奶收到的时候已经过期两天了,商家还不给退",
        "牛奶收到的时候已经过期两天了,商家还不给退😡",
    ),
    (
        "水果有一半都是烂的,包装也很简陋,非常失望",
        "水果有一半都是烂的,包装也很简陋,非常失望。",
    ),
    (
        "洗发水用了头皮很痒,怀疑是假货,要求退货",
        "洗发水用了头皮很痒,怀疑是假货,要求退货退款",
    ),
    (
        "The app crashes every time I try to log in",
        "The app crashes every time I try to login",
    ),
    (
        "My flight was delayed for five hours and nobody told us",
        "My flight was delayed for 5 hours and nobody told us",
    ),
    (
        "平板电脑充电特别慢,充一晚上才到百分之八十",
        "平板电脑充电特别慢,充了一晚上才到百分之八十",
    ),
    (
        "书的印刷质量很差,好多页都是模糊的,像盗版",
        "书的印刷质量很差,好多页都是模糊的,像是盗版",
    ),
];

/// Unrelated reviews of similar length, many sharing common words.
const UNRELATED: &[(&str, &str)] = &[
    (
        "送餐太慢了,等了一个半小时,饭都凉了",
        "味道很好,分量也足,送餐小哥态度也不错",
    ),
    (
        "送餐太慢了,等了一个半小时,饭都凉了",
        "送餐很快,半小时就到了,饭菜还是热的",
    ),
    (
        "快递员态度很差,打电话不接,放门口也不说一声",
        "快递很快,包装完好,快递员还帮忙送上楼",
    ),
    (
        "手机用了三天就黑屏了,售后还推脱说是人为损坏",
        "手机运行流畅,拍照效果很好,电池也耐用",
    ),
    (
        "这个月话费莫名多扣了五十块,客服查了也说不清楚",
        "套餐流量不够用,想换一个套餐但是找不到入口",
    ),
    (
        "APP更新到最新版本以后一直闪退,根本打不开",
        "APP界面设计很清爽,操作简单,老人也会用",
    ),
    (
        "衣服质量不错,就是尺码偏小,建议买大一号",
        "衣服颜色和图片差别很大,面料也很粗糙",
    ),
    (
        "米饭是夹生的,菜也太咸了,再也不会点这家了",
        "菜品新鲜,口味正宗,下次还会再点这家",
    ),
    (
        "申请退款一个星期了还没到账,客服一直说在处理",
        "退款很快就到账了,客服处理问题很及时",
    ),
    (
        "宽带经常掉线,晚上根本没法用,报修了三次都没修好",
        "宽带装好以后网速很快,师傅服务也很专业",
    ),
    (
        "信用卡还款明明按时还了,却显示逾期,影响征信",
        "信用卡额度太低了,申请提额一直不通过",
    ),
    (
        "热水器安装师傅收了额外的材料费,也没有给发票",
        "热水器加热很快,出水稳定,安装师傅很负责",
    ),
    (
        "牛奶收到的时候已经过期两天了,商家还不给退",
        "牛奶口感很好,孩子很喜欢喝,会继续回购",
    ),
    (
        "水果有一半都是烂的,包装也很简陋,非常失望",
        "水果很新鲜,个头很大,甜度也刚刚好",
    ),
    (
        "洗发水用了头皮很痒,怀疑是假货,要求退货",
        "洗发水味道很香,洗完头发很顺滑,不油",
    ),
    (
        "The app crashes every time I try to log in",
        "Great service and the staff were very friendly",
    ),
    (
        "My flight was delayed for five hours and nobody told us",
        "The seats were comfortable and the food was good",
    ),
    (
        "平板电脑充电特别慢,充一晚上才到百分之八十",
        "平板电脑屏幕很清晰,看视频效果非常好",
    ),
    (
        "书的印刷质量很差,好多页都是模糊的,像盗版",
        "书的内容很精彩,孩子看得爱不释手",
    ),
    ("送餐员态度特别恶劣,差评", "送餐员态度特别好,好评"),
];

fn hash(text: &str) -> u64 {
    simhash(&normalize(text))
}

#[test]
fn punctuation_case_and_width_do_not_change_the_hash() {
    let variants = [
        ("快递太慢了", "快递太慢了！！！"),
        ("APP一直闪退,根本打不开", "app 一直闪退……根本打不开"),
        ("送餐员态度特别恶劣,差评", "送餐员态度特别恶劣，差评！！！😡😡"),
        ("ＡＰＰ版本１２", "APP版本12"),
    ];
    for (a, b) in variants {
        assert_eq!(hash(a), hash(b), "{a:?} vs {b:?}");
    }
}

/// One-character edits of short texts move a 64-bit SimHash by 5 to 20 bits
/// (few shingles, each worth a lot), so not every edit is caught at a
/// distance that keeps unrelated reviews apart. Pin the rate instead.
#[test]
fn most_resubmissions_with_small_edits_are_found() {
    let found = NEAR_DUPLICATES
        .iter()
        .filter(|(a, b)| {
            let mut index = NearDupIndex::new(16);
            index.insert(hash(a), 0, *a);
            index.find(hash(b), DEFAULT_MAX_DISTANCE) == Some(a)
        })
        .count();
    assert!(
        found * 100 >= NEAR_DUPLICATES.len() * 80,
        "found {found} of {}",
        NEAR_DUPLICATES.len()
    );
}

#[test]
fn unrelated_reviews_of_similar_length_are_not_found() {
    for (a, b) in UNRELATED {
        let mut index = NearDupIndex::new(16);
        index.insert(hash(a), 0, *a);
        let distance = hamming(hash(a), hash(b));
        assert_eq!(
            index.find(hash(b), DEFAULT_MAX_DISTANCE),
            None,
            "{b:?} at {distance} bits"
        );
        assert!(distance > DEFAULT_MAX_DISTANCE + 4, "{a:?} vs {b:?}: {distance} bits");
    }
}

#[test]
fn whole_review_set_finds_each_review_itself_and_only_its_pair() {
    let mut index = NearDupIndex::new(1000);
    for (at, (a, _)) in UNRELATED.iter().enumerate() {
        index.insert(hash(a), at as u64, *a);
    }
    for (a, b) in UNRELATED {
        assert_eq!(index.find(hash(a), DEFAULT_MAX_DISTANCE), Some(a));
        assert_ne!(index.find(hash(b), DEFAULT_MAX_DISTANCE), Some(a));
    }
}

#[test]
fn short_texts_are_not_candidates() {
    for (text, expected) in [
        ("很好", false),
        ("不错不错", false),
        ("好评!!!!!!!!!", false),
        ("送餐太慢了,饭都凉了", true),
        ("The app crashes", true),
    ] {
        assert_eq!(is_near_dup_candidate(text), expected, "{text:?}");
    }
}

#[test]
fn simhash_edge_cases() {
    assert_eq!(simhash(""), 0);
    assert_eq!(simhash("!!!"), 0);
    assert_ne!(simhash("好"), 0);
    assert_eq!(hamming(0, u64::MAX), 64);
    assert_eq!(hamming(0b1011, 0b0001), 2);
}

/// A small xorshift generator: the tests stay deterministic without a dependency.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `hash` with `bits` distinct random bits flipped.
fn flip(hash: u64, bits: u32, state: &mut u64) -> u64 {
    let mut mask = 0u64;
    while mask.count_ones() < bits {
        mask |= 1 << (xorshift(state) % 64);
    }
    hash ^ mask
}

#[test]
fn find_agrees_with_brute_force_up_to_eleven_bits() {
    let mut state = 0x9E37_79B9_7F4A_7C15;
    let hashes: Vec<u64> = (0..2000).map(|_| xorshift(&mut state)).collect();
    let mut index = NearDupIndex::new(hashes.len());
    for (i, &h) in hashes.iter().enumerate() {
        index.insert(h, i as u64, i);
    }
    for round in 0..600u32 {
        let target = hashes[(xorshift(&mut state) % 2000) as usize];
        let query = flip(target, round % 12, &mut state);
        let max = round % 12;
        let brute = hashes.iter().map(|&h| hamming(h, query)).filter(|&d| d <= max).min();
        assert_eq!(index.nearest(query, max).map(|n| n.distance), brute, "round {round}");
    }
}

#[test]
fn nearest_prefers_closest_then_newest() {
    let mut index = NearDupIndex::new(10);
    index.insert(0b1111, 1, "far");
    index.insert(0b0001, 2, "near-old");
    index.insert(0b0001, 3, "near-new");
    let nearest = index.nearest(0, 7);
    assert_eq!(
        nearest,
        Some(Neighbour {
            distance: 1,
            at: 3,
            value: &"near-new"
        })
    );
    assert_eq!(index.find(u64::MAX, 11), None);
}

#[test]
fn eviction_keeps_memory_bounded() {
    let mut index = NearDupIndex::new(3);
    for at in 0..5u64 {
        index.insert(at << 20, at, at);
    }
    assert_eq!(index.len(), 3);
    assert_eq!(index.find(0, 0), None);
    assert_eq!(index.find(2 << 20, 0), Some(&2));
    index.evict_older_than(4);
    assert_eq!(index.len(), 1);
    assert_eq!(index.find(3 << 20, 0), None);
    assert_eq!(index.find(4 << 20, 0), Some(&4));
    index.evict_older_than(u64::MAX);
    assert!(index.is_empty());
    index.insert(7, 9, 7);
    assert_eq!(index.find(7, 0), Some(&7));
}
