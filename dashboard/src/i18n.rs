//! Every user-visible string of the dashboard, in Chinese and English, in one
//! place: a [`Key`] per string and one table mapping it to `(zh, en)`.
//!
//! The bundled CJK font is subset from the characters of this file (see
//! `scripts/subset_font.sh`), so new Chinese strings belong here.

use serde::{Deserialize, Serialize};

/// The UI language, switchable at run time and remembered between runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    #[default]
    Zh,
    En,
}

impl Language {
    /// The language's own name, shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Zh => "中文",
            Self::En => "English",
        }
    }
}

/// One translatable string. `{…}` placeholders are filled with [`fill`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    AppTitle,
    // navigation
    PageOverview,
    PageTrends,
    PageDistributions,
    PageTopIssues,
    PageExplorer,
    PageSqlConsole,
    // connection
    Connected,
    Connecting,
    Unreachable,
    Unauthorised,
    UnauthorisedHelp,
    UnreachableHelp,
    Retry,
    Settings,
    ServerUrl,
    ApiKey,
    RememberKey,
    AutoRefresh,
    AutoRefreshOff,
    Seconds,
    SaveAndConnect,
    Close,
    Refresh,
    Language,
    Theme,
    Light,
    Dark,
    Loading,
    QueryFailed,
    NoData,
    // window and filters
    Window,
    LastDays,
    CustomRange,
    From,
    To,
    InvalidDate,
    DataUpTo,
    Filters,
    Channel,
    Product,
    Region,
    Category,
    Subcategory,
    Rating,
    Issue,
    Any,
    RemoveFilter,
    ClearAll,
    // overview
    Volume,
    NegativeShare,
    AverageRating,
    SpamShare,
    Backlog,
    BacklogNa,
    VsPrevious,
    NoPrevious,
    SentimentNa,
    VolumeTrend,
    NegativeTrend,
    VolumeHelp,
    // trends
    Grain,
    Day,
    Week,
    Month,
    SplitBy,
    NoSplit,
    AverageSentiment,
    SeriesShown,
    TrendTotal,
    SentimentScoreNa,
    // distributions
    ClickToFilter,
    Unknown,
    CategoryNa,
    DrillUp,
    // top issues
    TopIssuesNa,
    Keywords,
    Samples,
    ShowFeedback,
    TopIssuesScope,
    // explorer
    Rows,
    RowsCapped,
    Time,
    Text,
    Sentiment,
    Detail,
    SelectRow,
    Hidden,
    // sql console
    Run,
    Cancel,
    Cancelled,
    Running,
    Elapsed,
    ExportCsv,
    ExportedTo,
    ExportPath,
    Position,
    Truncated,
    RunHint,
}

impl Key {
    /// This string in `language`.
    pub fn text(self, language: Language) -> &'static str {
        let (zh, en) = self.pair();
        match language {
            Language::Zh => zh,
            Language::En => en,
        }
    }

    fn pair(self) -> (&'static str, &'static str) {
        use Key::*;
        match self {
            AppTitle => ("Voxlake 客户之声看板", "Voxlake dashboard"),
            PageOverview => ("总览", "Overview"),
            PageTrends => ("趋势", "Trends"),
            PageDistributions => ("分布", "Distributions"),
            PageTopIssues => ("热点问题", "Top issues"),
            PageExplorer => ("反馈明细", "Feedback explorer"),
            PageSqlConsole => ("SQL 控制台", "SQL console"),
            Connected => ("已连接", "Connected"),
            Connecting => ("正在连接…", "Connecting…"),
            Unreachable => ("无法连接服务器", "Server unreachable"),
            Unauthorised => (
                "未授权：API 密钥无效或缺失",
                "Unauthorised: the API key is missing or not accepted",
            ),
            UnauthorisedHelp => (
                "请在设置中填写有效的 API 密钥。",
                "Enter a valid API key in the settings.",
            ),
            UnreachableHelp => (
                "请检查服务器地址，或稍后重试。",
                "Check the server URL, or retry later.",
            ),
            Retry => ("重试", "Retry"),
            Settings => ("设置", "Settings"),
            ServerUrl => ("服务器地址", "Server URL"),
            ApiKey => ("API 密钥", "API key"),
            RememberKey => (
                "记住密钥（明文保存在本机）",
                "Remember the key (stored in plain text on this machine)",
            ),
            AutoRefresh => ("自动刷新", "Auto refresh"),
            AutoRefreshOff => ("关闭", "off"),
            Seconds => ("秒", "s"),
            SaveAndConnect => ("保存并连接", "Save and connect"),
            Close => ("关闭", "Close"),
            Refresh => ("刷新", "Refresh"),
            Language => ("语言", "Language"),
            Theme => ("主题", "Theme"),
            Light => ("浅色", "Light"),
            Dark => ("深色", "Dark"),
            Loading => ("加载中…", "Loading…"),
            QueryFailed => ("查询失败", "Query failed"),
            NoData => ("所选范围内没有数据", "No data in the chosen window"),
            Window => ("时间范围", "Window"),
            LastDays => ("最近 {n} 天", "Last {n} days"),
            CustomRange => ("自定义", "Custom"),
            From => ("从", "From"),
            To => ("到", "To"),
            InvalidDate => (
                "日期格式应为 YYYY-MM-DD，且起始不晚于结束",
                "Dates are YYYY-MM-DD, start not after end",
            ),
            DataUpTo => ("数据截至 {date}", "Data up to {date}"),
            Filters => ("筛选", "Filters"),
            Channel => ("渠道", "Channel"),
            Product => ("产品", "Product"),
            Region => ("地区", "Region"),
            Category => ("一级分类", "Category"),
            Subcategory => ("二级分类", "Subcategory"),
            Rating => ("评分", "Rating"),
            Issue => ("问题", "Issue"),
            Any => ("全部", "Any"),
            RemoveFilter => ("移除筛选", "Remove filter"),
            ClearAll => ("清除全部", "Clear all"),
            Volume => ("反馈量", "Feedback volume"),
            NegativeShare => ("负面占比", "Negative share"),
            AverageRating => ("平均评分", "Average rating"),
            SpamShare => ("垃圾信息占比", "Spam share"),
            Backlog => ("待处理积压", "Backlog"),
            BacklogNa => ("暂无（尚无工单数据）", "n/a (no ticket data yet)"),
            VsPrevious => ("较上一周期", "vs previous window"),
            NoPrevious => ("上一周期无数据", "no previous data"),
            SentimentNa => ("暂无（服务器尚未进行情感分析）", "n/a (no sentiment on the server yet)"),
            VolumeTrend => ("每日反馈量", "Daily volume"),
            NegativeTrend => ("每日负面占比", "Daily negative share"),
            VolumeHelp => (
                "窗口内全部反馈，含垃圾信息",
                "All feedback in the window, spam included",
            ),
            Grain => ("粒度", "Grain"),
            Day => ("日", "Day"),
            Week => ("周", "Week"),
            Month => ("月", "Month"),
            SplitBy => ("拆分维度", "Split by"),
            NoSplit => ("不拆分", "No split"),
            AverageSentiment => ("平均情感得分", "Average sentiment"),
            SeriesShown => (
                "显示反馈量最多的 {n} 个系列（共 {total} 个）",
                "Showing the top {n} of {total} series by volume",
            ),
            TrendTotal => (
                "合计 {n} 条反馈，{buckets} 个时间段",
                "{n} feedback in {buckets} periods",
            ),
            SentimentScoreNa => (
                "情感图表需要服务器上的情感模型（sentiment_score 为空）",
                "Sentiment charts need the sentiment model on the server (sentiment_score is empty)",
            ),
            ClickToFilter => (
                "点击条形可按该值筛选整个看板",
                "Click a bar to filter the whole dashboard by it",
            ),
            Unknown => ("（未知）", "(unknown)"),
            CategoryNa => (
                "分类需要服务器上的分类模型（category_l1 为空）",
                "Categories need the taxonomy model on the server (category_l1 is empty)",
            ),
            DrillUp => ("返回一级分类", "Back to level 1"),
            TopIssuesNa => (
                "热点问题需要服务器上的主题模型（top_issues 不可用）",
                "Top issues needs the topic model on the server (top_issues not available)",
            ),
            Keywords => ("关键词", "Keywords"),
            Samples => ("示例反馈", "Sample feedback"),
            ShowFeedback => ("查看反馈", "Show feedback"),
            TopIssuesScope => (
                "热点问题按整个时间范围计算；筛选条件作用于点击后的反馈明细",
                "Issues are computed over the whole window; filters apply to the feedback you click through to",
            ),
            Rows => ("行数", "Rows"),
            RowsCapped => ("仅显示最新 {n} 条", "showing the newest {n}"),
            Time => ("时间", "Time"),
            Text => ("内容", "Text"),
            Sentiment => ("情感", "Sentiment"),
            Detail => ("反馈详情", "Feedback detail"),
            SelectRow => ("点击一行查看详情", "Click a row to see its detail"),
            Hidden => ("（已加密，不显示）", "(encrypted, not shown)"),
            Run => ("运行", "Run"),
            Cancel => ("取消", "Cancel"),
            Cancelled => ("已取消", "Cancelled"),
            Running => ("运行中…", "Running…"),
            Elapsed => ("耗时", "elapsed"),
            ExportCsv => ("导出 CSV", "Export CSV"),
            ExportedTo => ("已导出 {n} 行到 {path}", "Exported {n} rows to {path}"),
            ExportPath => ("导出路径", "Export path"),
            Position => ("位置：第 {line} 行，第 {column} 列", "at line {line}, column {column}"),
            Truncated => ("结果过大，仅保留前 {n} 行", "result too large: kept the first {n} rows"),
            RunHint => ("Ctrl+Enter 运行", "Ctrl+Enter runs"),
        }
    }
}

/// Replace each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_placeholder() {
        let text = fill(Key::TrendTotal.text(Language::En), &[("n", "12"), ("buckets", "3")]);
        assert_eq!(text, "12 feedback in 3 periods");
    }

    #[test]
    fn both_languages_are_present() {
        assert_eq!(Key::PageOverview.text(Language::Zh), "总览");
        assert_eq!(Key::PageOverview.text(Language::En), "Overview");
    }
}
