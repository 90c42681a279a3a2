// Chinese sentiment lexicon for customer-service text, written for Rapport (weights on the AFINN
// scale, -5..5). Multi-character entries are also loaded into jieba so they stay one token.
// Tuned on the "dev" split of data/labelled-comments.jsonl; the "test" split is held out.

const positive: Record<string, number> = {
  // satisfaction, praise
  满意: 2, 很满意: 3, 非常满意: 4, 满分: 3, 好评: 3, 五星: 3, 五星好评: 4, 点赞: 3, 赞: 2, 棒: 3, 很棒: 3,
  好: 2, 很好: 3, 挺好: 2, 不错: 2, 很不错: 3, 挺不错: 2, 好用: 2, 好看: 2, 好吃: 2, 优秀: 3, 完美: 4,
  超值: 3, 划算: 2, 实惠: 2, 值得: 2, 物美价廉: 3, 性价比高: 3, 惊喜: 3, 喜欢: 2, 很喜欢: 3, 爱: 2,
  推荐: 2, 值得推荐: 3, 回购: 2, 还会再来: 3, 会再买: 2, 再来: 1, 放心: 2, 安心: 2, 信赖: 2, 信任: 2,
  开心: 2, 高兴: 2, 愉快: 2, 舒服: 2, 舒心: 2, 省心: 2, 靠谱: 2, 给力: 3, 厉害: 2, 专业: 2, 贴心: 3,
  周到: 2, 细心: 2, 耐心: 2, 热情: 2, 礼貌: 2, 有礼貌: 2, 友好: 2, 亲切: 2, 负责: 2, 认真: 2,
  用心: 2, 真诚: 2, 诚信: 2, 及时: 2, 迅速: 2, 快速: 2, 很快: 2, 神速: 3, 高效: 2, 效率高: 2,
  方便: 2, 便捷: 2, 简单: 1, 容易: 1, 顺利: 2, 顺畅: 2, 流畅: 2, 稳定: 1, 清楚: 1, 清晰: 1,
  解决: 2, 解决了: 2, 已解决: 2, 搞定: 2, 处理好: 2, 到位: 2, 完好: 2, 完好无损: 2, 正品: 2, 质量好: 3,
  质量不错: 3, 结实: 2, 精致: 2, 漂亮: 2, 新鲜: 2, 干净: 2, 感谢: 2, 谢谢: 2, 多谢: 2, 感激: 2,
  辛苦: 1, 帮忙: 1, 帮助: 1, 帮了大忙: 3, 超出预期: 3, 物超所值: 3, 忠实: 2, 老客户: 1, 没问题: 1,
  准时: 2, 按时: 2, 守信: 2, 兑现: 2, 说到做到: 3, 还行: 1, 可以: 1, 挺好的: 2, 好评如潮: 4,
  优质: 3, 满足: 2, 体贴: 2, 温暖: 2, 感动: 3, 到账: 1, 退款到账: 1, 赔偿到位: 2, 主动: 1,
  nice: 2, good: 2, ok: 1,
};

const negative: Record<string, number> = {
  // dissatisfaction, complaints
  不满意: -3, 不满: -2, 很不满意: -4, 差: -2, 很差: -3, 太差: -3, 极差: -4, 差评: -3, 差劲: -3, 烂: -3,
  糟糕: -3, 糟透: -4, 垃圾: -4, 坑: -3, 坑人: -4, 骗: -3, 骗人: -4, 骗子: -4, 欺骗: -4, 忽悠: -3,
  失望: -3, 很失望: -3, 太失望: -4, 后悔: -3, 生气: -3, 气愤: -3, 愤怒: -4, 恼火: -3, 郁闷: -2,
  无语: -2, 崩溃: -3, 心累: -2, 烦: -2, 麻烦: -2, 折腾: -2, 闹心: -2, 恶心: -3, 难受: -2, 窝火: -3,
  投诉: -2, 要投诉: -3, 举报: -3, 曝光: -2, 维权: -2, 消协: -2, 12315: -3, 退款: -1, 退货: -1,
  退钱: -2, 赔偿: -1, 索赔: -2, 换货: -1, 返修: -2, 拒绝: -2, 推诿: -3, 踢皮球: -3, 敷衍: -3,
  态度差: -3, 态度恶劣: -4, 态度不好: -3, 服务差: -3, 不专业: -3, 不耐烦: -3, 冷漠: -3, 傲慢: -3,
  不理: -2, 不理人: -3, 没人理: -3, 没人管: -3, 没人联系: -3, 没人接: -3, 不回复: -2, 没回复: -2, 不回: -2, 打不通: -2,
  挂电话: -3, 挂断: -2, 等了: -1, 等太久: -3, 太久: -2, 很久: -1, 半天: -1, 拖: -2, 拖延: -3,
  一拖再拖: -4, 推迟: -2, 延迟: -2, 延误: -2, 迟迟: -2, 迟到: -2, 慢: -2, 很慢: -3, 太慢: -3,
  快递慢: -3, 物流慢: -3, 发货慢: -3, 龟速: -3, 超时: -2, 逾期: -2, 食言: -3, 不守信: -3,
  说话不算话: -4, 言而无信: -4, 失信: -3, 承诺: 0, 没兑现: -3, 未兑现: -3,
  坏: -2, 坏了: -3, 损坏: -3, 破损: -3, 破了: -2, 碎了: -3, 瑕疵: -2, 划痕: -2, 故障: -3, 出故障: -3,
  问题: -1, 毛病: -2, 质量差: -3, 质量问题: -3, 假货: -4, 山寨: -3, 次品: -3, 残次品: -3, 劣质: -3,
  不好: -2, 不太好: -2, 不好用: -2, 难用: -3, 不能用: -3, 用不了: -3, 没法用: -3, 卡顿: -2, 卡: -1,
  死机: -3, 闪退: -3, 错误: -2, 出错: -2, 发错: -2, 少发: -2, 漏发: -2, 丢件: -3, 丢失: -3, 丢了: -2,
  收不到: -3, 没收到: -2, 没到: -2, 错: -1, 乱收费: -4, 多收: -3, 扣费: -2, 贵: -2, 太贵: -3, 不值: -3,
  坑钱: -4, 乱扣: -3, 隐形消费: -3, 霸王条款: -4, 欺诈: -4, 不靠谱: -3, 不负责: -3, 不负责任: -4,
  怠慢: -3, 无能: -3, 离谱: -3, 过分: -3, 太过分: -4, 可恶: -3, 无良: -4, 黑心: -4, 奸商: -4,
  差劲透了: -4, 最差: -4, 再也不: -3, 再也不会: -3, 不会再: -2, 取消: -1, 注销: -1, 流失: -2,
  一般: -1, 凑合: -1, 勉强: -1, 不怎么样: -2, 没用: -2, 白费: -2, 浪费: -2, 浪费时间: -3,
  担心: -1, 着急: -2, 焦虑: -2, 委屈: -2, 抱怨: -2, 吐槽: -2, 反复: -1, 又: 0, 还没: -1, 仍然没有: -2,
  至今: -1, 石沉大海: -3, 不了了之: -3, 没下文: -3, 没有下文: -3, 噪音: -2, 异味: -2, 过期: -3,
  bad: -2, terrible: -3,
};

/** Word → weight on the AFINN scale (-5..5). */
export const ZH_SENTIMENT: ReadonlyMap<string, number> = new Map([
  ...Object.entries(positive),
  ...Object.entries(negative),
]);

/** Neutral multi-character words loaded into jieba so they are not split into sentiment words. */
export const ZH_NEUTRAL_WORDS: readonly string[] = ['不好意思', '好不好', '要不要', '差不多', '可不可以', '是不是', '问一下', '请问', '好的', '退货政策', '退款政策'];

/** Degree adverbs: multiply the weight of the sentiment word they modify. */
export const ZH_DEGREE: ReadonlyMap<string, number> = new Map([
  ['极其', 2], ['极', 2], ['极度', 2], ['超级', 1.8], ['超', 1.6], ['太', 1.8], ['非常', 1.8], ['特别', 1.8],
  ['十分', 1.7], ['相当', 1.5], ['很', 1.5], ['挺', 1.3], ['真', 1.4], ['真的', 1.4], ['好', 1.3], ['那么', 1.3],
  ['这么', 1.4], ['如此', 1.5], ['实在', 1.5], ['简直', 1.7], ['太过', 1.8], ['更', 1.3], ['越来越', 1.4],
  ['比较', 0.8], ['还', 0.8], ['还算', 0.8], ['有点', 0.6], ['有些', 0.6], ['有一点', 0.6], ['稍微', 0.5], ['略', 0.5], ['略微', 0.5],
]);

/** Negators: flip the sign of the sentiment word after them (within three tokens of the same clause). */
export const ZH_NEGATORS: ReadonlySet<string> = new Set([
  '不', '没', '没有', '别', '未', '无', '非', '莫', '勿', '从不', '从没', '从未', '毫不', '并不', '并没有', '绝不', '不是', '不会', '不能', '没能', '未能',
]);

/** Negated degree ("not very"): a weaker flip. */
export const ZH_WEAK_NEGATORS: ReadonlyMap<string, number> = new Map([
  ['不太', -0.6], ['不怎么', -0.6], ['不是很', -0.6], ['不够', -0.7], ['没那么', -0.5], ['不大', -0.6],
]);

/** Contrast conjunctions: what follows counts more than what came before ("好是好，但是太贵"). */
export const ZH_CONTRAST: ReadonlySet<string> = new Set(['但是', '但', '不过', '可是', '然而', '只是', '可惜', '就是']);

// Common traditional characters in customer-service text, mapped to simplified, so traditional
// comments (Hong Kong, Taiwan) hit the same lexicon.
const TRADITIONAL = '滿態錯貨遞務質價買賣壞話電讓對這個們還沒來時說問題應後實於為與開關無從點經當現員線寶專業體驗嚴響亂騙費錢額單號訂聯極爛贊讚謝幫熱愛歡氣憤難辦處決換過遲長遠順暢優輕鬆強簡複雜煩隨繼續給談發貴補償賠評劣據慮擔棄誤網線顧客戶資訊認識態鐘頭';
const SIMPLIFIED = '满态错货递务质价买卖坏话电让对这个们还没来时说问题应后实于为与开关无从点经当现员线宝专业体验严响乱骗费钱额单号订联极烂赞赞谢帮热爱欢气愤难办处决换过迟长远顺畅优轻松强简复杂烦随继续给谈发贵补偿赔评劣据虑担弃误网线顾客户资讯认识态钟头';

const traditionalMap = new Map<number, number>();
for (let i = 0; i < TRADITIONAL.length; i++) traditionalMap.set(TRADITIONAL.charCodeAt(i), SIMPLIFIED.charCodeAt(i));

/** Maps the traditional characters above to simplified; a text with none comes back as is. */
export function toSimplified(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const simplified = traditionalMap.get(text.charCodeAt(i));
    if (simplified === undefined) continue;
    out += text.slice(copied, i) + String.fromCharCode(simplified);
    copied = i + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Every lexicon entry longer than one character, as a jieba user dictionary. */
export function jiebaUserDict(): string {
  const words = new Set<string>([...ZH_SENTIMENT.keys(), ...ZH_NEUTRAL_WORDS, ...ZH_DEGREE.keys(), ...ZH_NEGATORS, ...ZH_WEAK_NEGATORS.keys(), ...ZH_CONTRAST]);
  return [...words].filter((w) => w.length > 1 && /[\u4e00-\u9fff]/.test(w)).map((w) => `${w} 100000`).join('\n') + '\n';
}
