//! The Chinese lexicon: openers, connectors, closers, channel frames and
//! titles around the clause templates of `clauses_zh`.

use super::clauses_zh::{
    APP_CRASH, APP_LAG, APP_LOGIN, FUNCTION, LOGISTICS, PACKAGING, PRICE, QUALITY, REFUND, SAFETY, SERVICE,
};
use super::templates::Lexicon;
use super::topic::Tone;
use super::vocab::{COURIERS, Channel};

type Words = &'static [&'static str];

pub(super) static LEXICON: Lexicon = Lexicon {
    banks: [
        QUALITY, FUNCTION, SERVICE, LOGISTICS, PRICE, PACKAGING, APP_CRASH, APP_LAG, APP_LOGIN, REFUND, SAFETY,
    ],
    openers: &[
        "说实话，",
        "第一次写评价，",
        "用了{N}天了，",
        "收到货了，",
        "买了{P}，",
        "给家里买的{P}，",
        "老用户了，",
        "朋友推荐买的，",
        "刚拆箱，",
        "追评：",
        "补充一下，",
        "我想反映一个问题：",
        "这是第二次购买了，",
        "纠结了很久才下单，",
        "等了好久终于到了，",
        "活动时入手的{P}，",
        "帮爸妈买的，",
        "公司采购的，",
        "用了一段时间来评价，",
        "关于{P}，",
    ],
    also: &[
        "，而且",
        "，还有",
        "。另外",
        "，同时",
        "；",
        "，",
        "，然后",
        "。还有就是",
    ],
    but: &["，但是", "，不过", "，就是", "，可惜", "，可是", "。唯一不足是"],
    closers: [
        &[
            "，推荐购买！",
            "，五星好评",
            "，下次还来",
            "，满意",
            "，会回购的。",
            "，给个好评！",
            "，值得入手",
            "，总之很满意",
        ],
        &[
            "，再看看吧",
            "，总体还行",
            "，凑合用",
            "，希望改进",
            "，中规中矩吧",
            "，先这样",
        ],
        &["，希望改进", "，有点失望", "，不太满意", "，希望商家重视"],
        &[
            "，太失望了！",
            "，非常不满意！",
            "，差评！",
            "，请尽快处理！",
            "，不推荐",
        ],
        &[
            "，再也不买了！！",
            "，我要投诉！！！",
            "，必须给我个说法！",
            "，已经打12315了",
            "，强烈要求退款！！",
            "，垃圾！！",
        ],
    ],
    adverbs: [
        &["有点", "有些", "稍微有点", "略"],
        &["很", "非常", "特别", "太", "挺"],
        &["极其", "超级", "简直太", "真的太", "非常非常"],
    ],
    service: &["客服", "售后", "工作人员", "客服人员", "商家"],
    store_service: &["店员", "导购", "店长", "收银员"],
    couriers: &COURIERS,
    ends: &["。", "！", "！！", "", "。。", "~", "…"],
    any_version: "新版本",
    titles: &[
        "关于{T}问题的反馈",
        "【{T}】{P}",
        "投诉：{T}",
        "{P}使用反馈",
        "{P}{T}问题",
        "意见反馈",
        "请尽快处理{T}问题",
    ],
    aspect_names: [
        "质量",
        "功能",
        "服务",
        "物流",
        "价格",
        "包装",
        "App闪退",
        "App卡顿",
        "登录",
        "退款售后",
        "安全",
    ],
    frame,
    english: false,
};

fn frame(channel: &Channel, tone: Tone) -> (Words, Words) {
    let praise = tone == Tone::Praise;
    match channel.name {
        "hotline" => (
            &["客户来电反映：", "客户来电称", "来电人表示", "客户致电："],
            &[
                "已记录，转售后跟进。",
                "已安抚客户，承诺24小时内回电。",
                "客户要求尽快处理，已升级。",
                "已告知处理流程。",
            ],
        ),
        "chat" => (&["你好，", "在吗？", "客服在吗，", "您好，", "人工客服，"], &[]),
        "weibo" if praise => (&["@官方客服 ", "#好物分享# "], &[]),
        "weibo" => (&["@官方客服 ", "#投诉# ", "真的服了，", "@官方客服 请处理一下，"], &[]),
        "xiaohongshu" if praise => (&["种草！", "真实测评：", "分享一下{P}的使用感受："], &[]),
        "xiaohongshu" => (&["避雷！", "真实测评：", "姐妹们避雷，"], &[]),
        "email" => (
            &["您好：\n", "你好，", "尊敬的客服：", "客服您好，"],
            &["\n谢谢。", "期待回复。", "盼复。"],
        ),
        "survey" => (&["总体评价：", "建议：", "意见："], &[]),
        "store" => (&["今天去门店，", "在门店买的，", "到店体验了一下，"], &[]),
        "douyin" => (&["直播间买的，", "看直播下单的，", "刷到就买了，"], &[]),
        _ => (&[], &[]),
    }
}
