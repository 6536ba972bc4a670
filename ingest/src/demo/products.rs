//! The product catalogue: ~200 products in 10 categories, named
//! `<category>-<series><model>` (e.g. `家电-小满L76`), with Zipf popularity.
//!
//! The catalogue does not depend on the seed, so product literals used by the
//! benchmark queries exist in every generated data set. It is built once per
//! process (`OnceLock`) so records can borrow `&'static str` names.

use std::sync::OnceLock;

use super::sampling::{WeightedTable, mix64};

/// A product category with the features people talk about.
#[derive(Debug)]
pub(super) struct Category {
    pub name: &'static str,
    /// Features mentioned in Chinese text, e.g. 电池续航.
    pub features_zh: &'static [&'static str],
    /// The same features in English.
    pub features_en: &'static [&'static str],
    /// Whether it is an electrical appliance (safety complaints make sense).
    pub electrical: bool,
    /// Series: (Chinese name, romanised name, space-separated models).
    pub series: &'static [(&'static str, &'static str, &'static str)],
}

/// One sellable product.
#[derive(Debug)]
pub(super) struct Product {
    /// `<category>-<series><model>`.
    pub name: &'static str,
    /// `<series><model>`, as customers write it.
    pub model: &'static str,
    /// `<romanised series> <model>`, for English text.
    pub model_en: &'static str,
    pub category: usize,
}

/// The product whose popularity rank is pinned (used by a planted event and Q7).
pub(super) const PINNED_PRODUCT: &str = "家电-小满L76";

pub(super) const CATEGORIES: [Category; 10] = [
    Category {
        name: "手机",
        features_zh: &["电池续航", "屏幕", "拍照", "信号", "充电速度", "系统", "指纹解锁"],
        features_en: &[
            "battery life",
            "screen",
            "camera",
            "signal",
            "charging",
            "system",
            "fingerprint sensor",
        ],
        electrical: true,
        series: &[
            ("星河", "Xinghe", "X9 X9Pro X7 X5 X5s X3"),
            ("青禾", "Qinghe", "Q22 Q20 Q18 Q12 Q10 Q8"),
            ("远航", "Yuanhang", "Y6 Y6Max Y4 Y2 Y1"),
            ("极客", "Jike", "K1 K2 K3 K3Pro K5"),
        ],
    },
    Category {
        name: "家电",
        features_zh: &["噪音", "制冷效果", "加热速度", "遥控器", "安装", "耗电", "温控"],
        features_en: &[
            "noise",
            "cooling",
            "heating",
            "remote",
            "installation",
            "power use",
            "thermostat",
        ],
        electrical: true,
        series: &[
            ("小满", "Xiaoman", "L76 L58 L90 M20 M35 S12 S8"),
            ("暖阳", "Nuanyang", "H2 H3 H5 H8 H10 H12 H15"),
            ("清风", "Qingfeng", "F1 F3 F5 F7 F9 AirPro"),
            ("净界", "Jingjie", "P1 P2 P3"),
        ],
    },
    Category {
        name: "电脑",
        features_zh: &["键盘", "散热", "屏幕", "续航", "触控板", "运行速度"],
        features_en: &[
            "keyboard",
            "cooling fan",
            "display",
            "battery",
            "touchpad",
            "performance",
        ],
        electrical: true,
        series: &[
            ("锐行", "Ruixing", "R14 R15 R16 R14Air R13 R13s"),
            ("极光", "Jiguang", "G3 G5 G7 G9 G7Pro"),
            ("墨客", "Moke", "M1 M2 M3 M2Lite M3Pro M4"),
            ("轻羽", "Qingyu", "A13 A14 A15 A14Plus"),
        ],
    },
    Category {
        name: "耳机",
        features_zh: &["降噪", "音质", "佩戴", "蓝牙连接", "续航", "麦克风"],
        features_en: &["noise cancelling", "sound", "fit", "bluetooth", "battery", "microphone"],
        electrical: true,
        series: &[
            ("声动", "Shengdong", "B1 B2 B3 B5 B5Pro"),
            ("听澜", "Tinglan", "T1 T2 T3 Buds Buds2 Neo Neo2"),
            ("律动", "Lvdong", "S1 S2 S3 Sport Kids B3Pro"),
        ],
    },
    Category {
        name: "平板",
        features_zh: &["屏幕", "手写笔", "续航", "扬声器", "运行速度"],
        features_en: &["screen", "stylus", "battery", "speakers", "speed"],
        electrical: true,
        series: &[
            ("云书", "Yunshu", "P10 P11 P12 P12Pro Mini"),
            ("画境", "Huajing", "D8 D10 D12 D13 Kids"),
            ("星图", "Xingtu", "S9 S10 S11 S11Pro Air Lite"),
        ],
    },
    Category {
        name: "生鲜",
        features_zh: &["新鲜度", "口感", "个头", "冷链", "分量", "甜度"],
        features_en: &["freshness", "taste", "size", "cold chain", "weight", "sweetness"],
        electrical: false,
        series: &[
            (
                "鲜果园",
                "Xianguoyuan",
                "赣南脐橙5斤 阳光玫瑰2斤 智利车厘子 海南芒果 烟台苹果 丹东草莓 猕猴桃12枚 蓝莓4盒 榴莲 西瓜",
            ),
            (
                "海之味",
                "Haizhiwei",
                "大虾1kg 三文鱼300g 帝王蟹 生蚝12只 鳕鱼块 小龙虾 鱿鱼",
            ),
            (
                "田园",
                "Tianyuan",
                "土鸡蛋30枚 有机蔬菜箱 黑猪肉2斤 牛腩1kg 五常大米 排骨",
            ),
        ],
    },
    Category {
        name: "美妆",
        features_zh: &["味道", "质地", "保湿效果", "肤感", "持久度", "包装"],
        features_en: &["scent", "texture", "moisturising", "feel", "staying power", "packaging"],
        electrical: false,
        series: &[
            ("花漾", "Huayang", "精华液30ml 面霜50g 水乳套装 防晒霜 粉底液 口红01"),
            ("素颜", "Suyan", "洁面乳 面膜10片 卸妆水 眼霜 爽肤水 气垫 隔离霜"),
            ("清研", "Qingyan", "洗发水 护发素 身体乳 沐浴露 香水"),
        ],
    },
    Category {
        name: "服饰",
        features_zh: &["尺码", "面料", "颜色", "做工", "版型", "起球"],
        features_en: &["sizing", "fabric", "colour", "stitching", "fit", "pilling"],
        electrical: false,
        series: &[
            (
                "简衣",
                "Jianyi",
                "羊毛衫 羽绒服 衬衫 卫衣 牛仔裤 连衣裙 T恤 风衣 西装 围巾",
            ),
            (
                "山野",
                "Shanye",
                "冲锋衣 登山鞋 抓绒衣 速干裤 双肩包 帐篷 冲锋裤 遮阳帽",
            ),
        ],
    },
    Category {
        name: "母婴",
        features_zh: &["材质", "尺寸", "安全性", "清洗", "吸水性", "气味"],
        features_en: &["material", "size", "safety", "cleaning", "absorbency", "smell"],
        electrical: false,
        series: &[
            (
                "小象",
                "Xiaoxiang",
                "纸尿裤L 纸尿裤XL 奶瓶240ml 婴儿湿巾 安抚奶嘴 辅食碗 奶粉1段 奶粉2段 米粉",
            ),
            (
                "安贝",
                "Anbei",
                "婴儿推车 安全座椅 学步鞋 儿童餐椅 爬行垫 婴儿床 背带 儿童滑板车 围栏",
            ),
        ],
    },
    Category {
        name: "食品",
        features_zh: &["口味", "保质期", "分量", "甜度", "配料"],
        features_en: &["flavour", "shelf life", "portion", "sweetness", "ingredients"],
        electrical: false,
        series: &[
            ("麦香", "Maixiang", "全麦面包 苏打饼干 燕麦片 手撕面包 坚果礼盒"),
            (
                "好味",
                "Haowei",
                "牛肉干 辣条 自热火锅 螺蛳粉 速冻水饺 酸奶12盒 咖啡豆 方便面 火腿肠",
            ),
            ("鲜醇", "Xianchun", "纯牛奶 酸奶 奶酪棒 豆浆粉"),
        ],
    },
];

/// Products in popularity order plus the popularity table.
#[derive(Debug)]
pub(super) struct Catalog {
    pub products: Vec<Product>,
    pub popularity: WeightedTable,
}

/// The process-wide catalogue.
pub(super) fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(build_catalog)
}

fn build_catalog() -> Catalog {
    let mut products: Vec<Product> = CATEGORIES.iter().enumerate().flat_map(category_products).collect();
    // A fixed shuffle spreads popular products over categories; the pinned one is third.
    products.sort_by_key(|p| mix64(p.name.bytes().fold(0u64, |h, b| mix64(h ^ u64::from(b)))));
    if let Some(i) = products.iter().position(|p| p.name == PINNED_PRODUCT) {
        let pinned = products.remove(i);
        products.insert(2.min(products.len()), pinned);
    }
    let popularity = WeightedTable::new((0..products.len()).map(|r| 1.0 / (r as f64 + 6.0)));
    Catalog { products, popularity }
}

fn category_products((category, c): (usize, &'static Category)) -> Vec<Product> {
    c.series
        .iter()
        .flat_map(|&(series, roman, models)| {
            models.split(' ').map(move |m| Product {
                name: leak(format!("{}-{series}{m}", c.name)),
                model: leak(format!("{series}{m}")),
                model_en: leak(format!("{roman} {m}")),
                category,
            })
        })
        .collect()
}

/// Catalogue strings live for the whole process; they are built exactly once.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_about_two_hundred_unique_products() {
        let c = catalog();
        assert!((180..=230).contains(&c.products.len()), "{}", c.products.len());
        let mut names: Vec<_> = c.products.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), c.products.len());
        assert_eq!(c.products[2].name, PINNED_PRODUCT);
    }
}
