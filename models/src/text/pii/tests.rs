//! Table-driven tests of [`mask_pii`] on real-looking feedback.

use super::checksum::tests::{with_id_check, with_luhn_digit};
use super::*;

use PiiKind::{Address, BankCard, Email, IdNumber, Phone};

/// (input, expected masked text, kinds found in order)
fn cases() -> Vec<(String, String, Vec<PiiKind>)> {
    let id1 = with_id_check("11010519491231002");
    let id2 = with_id_check("31011519900307123");
    let id_bad = bad_id();
    let card1 = with_luhn_digit("622848001234567890");
    let card2 = with_luhn_digit("621700001000123456");
    let card_bad = bad_card();
    let last4 = |s: &str| s[s.len() - 4..].to_owned();
    let same = |s: &str| (s.to_owned(), s.to_owned(), vec![]);
    let case = |i: &str, o: &str, k: &[PiiKind]| (i.to_owned(), o.to_owned(), k.to_vec());
    vec![
        same(""),
        same("送餐太慢了,差评!"),
        case("电话13812345678", "电话138****5678", &[Phone]),
        case("手机号:138 1234 5678,尽快联系", "手机号:138****5678,尽快联系", &[Phone]),
        case("138-1234-5678", "138****5678", &[Phone]),
        case("+86 13912345678", "+86 139****5678", &[Phone]),
        case("+8613912345678", "+86 139****5678", &[Phone]),
        case(
            "联系我15012345678或18600001111",
            "联系我150****5678或186****1111",
            &[Phone, Phone],
        ),
        case("13812345678,13987654321", "138****5678,139****4321", &[Phone, Phone]),
        case("座机010-12345678转分机", "座机010-****5678转分机", &[Phone]),
        case("(010)12345678", "(010)****5678", &[Phone]),
        case("打0755 87654321没人接", "打0755 ****4321没人接", &[Phone]),
        case("+44 20 7946 0958", "+44 ****0958", &[Phone]),
        case("call +1 650 253 0000 please", "call +1 ****0000 please", &[Phone]),
        case("邮箱zhang.san@example.com", "邮箱z***@example.com", &[Email]),
        case(
            "email me at john_doe+vx@mail.co.uk",
            "email me at j***@mail.co.uk",
            &[Email],
        ),
        case("qq邮箱12345678@qq.com", "qq邮箱1***@qq.com", &[Email]),
        case("13812345678@163.com", "1***@163.com", &[Email]),
        case(&format!("身份证{id1}"), "身份证110***********002X", &[IdNumber]),
        case(
            &format!("身份证号:{id2}。"),
            &format!("身份证号:310***********{}。", last4(&id2)),
            &[IdNumber],
        ),
        same(&format!("身份证{id_bad}")),
        case(
            &format!("卡号{card1}"),
            &format!("卡号****{}", last4(&card1)),
            &[BankCard],
        ),
        case(
            &format!("退款到{card2}了吗"),
            &format!("退款到****{}了吗", last4(&card2)),
            &[BankCard],
        ),
        case("卡号 4111 1111 1111 1111", "卡号 ****1111", &[BankCard]),
        same(&format!("卡号{card_bad}")),
        case("上海市浦东新区张江路123号", "上海市***", &[Address]),
        case(
            "寄到北京市朝阳区建国路88号3单元502室,谢谢",
            "寄到北京市***,谢谢",
            &[Address],
        ),
        case("广东省深圳市南山区科技园路1号", "广东省深圳市***", &[Address]),
        case("收货地址:中山路88号", "收货地址:***", &[Address]),
        case("Ship to 221B Baker Street, London", "Ship to ***, London", &[Address]),
        case("Our office: 1600 Amphitheatre Parkway", "Our office: ***", &[Address]),
        case(
            "联系方式13812345678,邮箱a@b.cn,地址上海市徐汇区漕溪北路88号",
            "联系方式138****5678,邮箱a***@b.cn,地址上海市***",
            &[Phone, Email, Address],
        ),
        // Must not be masked.
        same("订单号202401150012345678"),
        same("订单号 202401150012345678 还没发货"),
        same("订单123456789012已取消"),
        same("订单号:138123456789"),
        same("会员号8613812345678"),
        same("快递单号SF1234567890123"),
        same("价格¥1299.00,太贵"),
        same("1,299元买的,第二天降价到999元"),
        same("2024-01-15 下单"),
        same("2024年1月15日 10:30送达"),
        same("2024-01-15 13:45:00"),
        same("时间20240115103000"),
        same("升级到v3.2.1后闪退"),
        same("iPhone 15 Pro Max 256GB"),
        same("小满L76音箱"),
        same("买了3箱牛奶,每箱12盒"),
        same("不知道3号能不能到"),
        same("1号店买的,3号到货"),
        same("客服热线400-820-8820打不通"),
        same("工号 0012345"),
        same("Order 12345678 was late"),
        same("I waited 2 hours for Customer Service"),
    ]
}

/// An ID number whose check character is wrong.
fn bad_id() -> String {
    let good = with_id_check("44030519851120456");
    let wrong = if good.ends_with('1') { '2' } else { '1' };
    format!("{}{wrong}", &good[..17])
}

/// A UnionPay-like card number whose Luhn digit is wrong.
fn bad_card() -> String {
    let good = with_luhn_digit("622848001234567890");
    let last = good.as_bytes()[good.len() - 1] - b'0';
    format!("{}{}", &good[..good.len() - 1], (last + 1) % 10)
}

#[test]
fn masks_pii_in_real_looking_feedback() {
    let cases = cases();
    assert!(cases.len() >= 40);
    for (input, expected, kinds) in cases {
        let masked = mask_pii(&input);
        assert_eq!(masked.text, expected, "input: {input:?}");
        let found: Vec<PiiKind> = masked.found.iter().map(|m| m.kind).collect();
        assert_eq!(found, kinds, "input: {input:?}");
    }
}

#[test]
fn text_only_masking_agrees_with_full_masking() {
    for (input, expected, kinds) in cases() {
        let text = mask_pii_text(&input);
        assert_eq!(text, expected, "input: {input:?}");
        assert_eq!(matches!(text, Cow::Owned(_)), !kinds.is_empty(), "input: {input:?}");
    }
}

#[test]
fn found_values_are_the_original_spans() {
    let text = "手机 +86 138 1234 5678,邮箱 li.si@example.cn";
    let masked = mask_pii(text);
    for found in &masked.found {
        assert_eq!(&text[found.span.clone()], found.value);
    }
    let values: Vec<&str> = masked.found.iter().map(|m| m.value.as_str()).collect();
    assert_eq!(values, ["+86 138 1234 5678", "li.si@example.cn"]);
}

#[test]
fn text_without_pii_is_borrowed() {
    for text in ["送餐太慢了", "订单号202401150012345678", "v3.2.1"] {
        assert!(matches!(mask_pii(text).text, Cow::Borrowed(_)), "{text}");
    }
}

#[test]
fn kinds_have_stable_names() {
    let names: Vec<&str> = [Phone, Email, IdNumber, BankCard, Address]
        .map(PiiKind::as_str)
        .to_vec();
    assert_eq!(names, ["phone", "email", "id_number", "bank_card", "address"]);
}
