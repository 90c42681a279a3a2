// Texts without an opinion, written for Rapport (requests, facts, call-note boilerplate), generated
// from templates with a seeded random choice. They are trained towards a score of 0 (target 0.5),
// so words like "order", "delivery", "refund policy" or 物流, 订单 carry no polarity of their own.
import { seededRandom } from './logistic-trainer';

/** How many neutral texts per language the shipped models were trained with, and their seed. */
export const NEUTRAL_COUNT = 1500;
export const NEUTRAL_SEED = 20261203;

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const EN_TEMPLATES = [
  'I called about {order}', 'Customer called about {order}', 'Please check the status of {order}',
  'Can you tell me when {order} will arrive?', 'I would like to change the delivery address for {order}',
  'Customer asked for an invoice for {order}', 'Agent called back about {order} on {day}',
  'Customer asked for the opening hours of the {place}', 'Where is the nearest {place}?',
  'Customer wants to know the {topic}', 'Please send me the {topic}', 'I have a question about the {topic}',
  'Customer asked whether {order} can be picked up at the {place}', 'Customer updated the phone number on the account',
  'Called to confirm the appointment on {day}', 'Customer requested a copy of the {topic}',
  'Left a voicemail about {order}', 'Customer will call back on {day}', 'Transferred the call to the billing team',
  'Customer asked how to reset the password', 'What is your {topic}?', 'Order placed on {day}, {order}',
  'Customer is moving to a new address next month', 'Asked which payment methods the {place} accepts',
  'Customer wants to add a second user to the account', 'Explained the {topic} to the customer',
  'Customer asked if {order} ships to another country', 'Sent the {topic} by email as requested',
  'Customer bought the medium size', 'Collected {order} at the {place} on {day}', 'The parcel came in two boxes',
  'Customer asked whether the product comes in other colours', 'Booked a technician visit for {day}',
  'Customer asked to pause deliveries while travelling', 'Customer paid by bank transfer',
  'Noted the new billing address', 'Customer asked about delivery times to the {place}',
  'Checked the serial number with the customer', 'Customer is comparing two plans and will decide later',
  'First order placed online', 'Customer asked for the tracking number of {order}', 'Case closed, no further action',
  'Customer has a question about the {topic}', 'Asked to speak to the same agent as last time',
  'The order was split into two shipments', 'Customer wants to switch to monthly billing',
]; // prettier-ignore
const EN_SLOTS: Record<string, readonly string[]> = {
  order: [
    'order {n}',
    'my order',
    'order number {n}',
    'the parcel',
    'invoice {n}',
    'my subscription',
    'the replacement part',
    'ticket {n}',
  ],
  day: ['Monday', 'Tuesday', 'Friday', 'the 12th', 'next week', 'March 3', 'tomorrow'],
  place: ['store', 'branch', 'service centre', 'pickup point', 'warehouse', 'office'],
  topic: [
    'return policy',
    'refund policy',
    'warranty terms',
    'delivery schedule',
    'price list',
    'user manual',
    'account statement',
    'contract',
  ],
};

const ZH_TEMPLATES = [
  '请问{order}什么时候发货', '客户来电咨询{order}', '帮我看一下{order}到哪了', '我想修改{order}的收货地址',
  '客户咨询{place}的营业时间', '请把{topic}发给我', '客户询问{topic}', '我想了解一下{topic}',
  '已回电客户,约定{day}再联系', '客户要求开具{order}的发票', '客户更新了手机号码', '请问{place}在哪里',
  '客户{day}来电,询问{order}', '转接到财务部门处理', '客户询问如何修改密码', '{order}已下单,等待发货',
  '客户下个月搬家,需要更换地址', '请问{place}支持哪些付款方式', '客户留言,请{day}回电', '麻烦查询一下{order}的物流信息',
  '客户要求把发票寄到公司', '向客户说明了{topic}', '客户询问这个产品有没有其他颜色', '客户更新了收货信息',
  '已按客户要求发送{topic}', '客户买的是大号', '客户{day}到{place}取货', '商品分两个包裹寄出',
  '预约了{day}上门安装', '客户出差期间暂停配送', '客户使用银行转账付款', '已记录新的账单地址',
  '客户询问{place}的地址和电话', '核对了产品序列号', '客户在比较两种套餐,之后再决定', '第一次下单',
  '客户询问{order}的快递单号', '工单已关闭,无需跟进', '客户想换成按月付费', '客户想给账户添加一个用户',
  '电话未接通,{day}再打', '客户咨询积分的使用方法', '客户询问能否开具电子发票', '订单拆分为两次发货',
]; // prettier-ignore
const ZH_SLOTS: Record<string, readonly string[]> = {
  order: ['订单{n}', '我的订单', '这个包裹', '订单号{n}', '快递单{n}', '这件商品', '工单{n}'],
  day: ['周一', '明天', '下周三', '3月5日', '今天下午', '月底'],
  place: ['门店', '营业厅', '售后网点', '自提点', '仓库', '分店'],
  topic: ['退货政策', '保修条款', '配送时间', '价格表', '使用说明', '账单明细', '合同内容', '会员规则'],
};

function fill(template: string, slots: Record<string, readonly string[]>, random: () => number): string {
  return template
    .replace(/\{(\w+)\}/g, (_, slot: string) =>
      slot === 'n' ? String(1000 + Math.floor(random() * 9000)) : pick(slots[slot]!, random),
    )
    .replace(/\{n\}/g, () => String(1000 + Math.floor(random() * 9000)));
}

/** `count` distinct neutral texts in the language, the same ones for the same seed. */
export function neutralTexts(language: 'en' | 'zh', count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const [templates, slots] = language === 'en' ? [EN_TEMPLATES, EN_SLOTS] : [ZH_TEMPLATES, ZH_SLOTS];
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < count * 20; tries++)
    out.add(fill(pick(templates, random), slots, random));
  return [...out];
}
