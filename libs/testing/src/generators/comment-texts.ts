export type Tone = 'positive' | 'neutral' | 'negative';
export type Language = 'en' | 'zh';

/** Survey comments by language and tone; the tone follows the customer's recent experience. */
export const SURVEY_COMMENTS: Record<Language, Record<Tone, readonly string[]>> = {
  en: {
    positive: [
      'Great service, the delivery was fast and the tea is excellent.',
      'Very happy with my order, thank you!',
      'The agent was friendly and helpful, I love this shop.',
      'Excellent quality, I will definitely buy again.',
      'Amazing gift box, my family loved it.',
    ],
    neutral: [
      'The order arrived as expected.',
      'It was okay, nothing special.',
      'Delivery took a few days, product as described.',
      'Fine overall.',
    ],
    negative: [
      'Terrible experience, the parcel was late again.',
      'Nobody answered my complaint, very disappointed.',
      'The promised refund never came. Awful service.',
      'Poor quality and rude support, I will not order again.',
      'Broken teapot and no apology. Worst shop ever.',
    ],
  },
  zh: {
    positive: [
      '服务很好，发货很快，茶叶质量非常好。',
      '非常满意这次购物，谢谢！',
      '客服热情又专业，我很喜欢这家店。',
      '质量很棒，下次还会再买。',
      '礼盒很漂亮，家人都很喜欢。',
    ],
    neutral: ['收到了，和描述一致。', '还可以，一般般。', '物流有点慢，东西正常。', '总体还行。'],
    negative: [
      '太失望了，快递又迟到了。',
      '投诉了好几天都没人回复，很生气。',
      '答应的退款一直没到账，服务太差了。',
      '质量很差，客服态度也不好，不会再买了。',
      '茶壶碎了也没人道歉，非常糟糕。',
    ],
  },
};

export const COMPLAINT_TEXTS: Record<Language, Record<string, string>> = {
  en: {
    delivery: 'My order has not arrived and the tracking has not moved for days.',
    quality: 'The product I received is damaged.',
    billing: 'I was charged twice for the same order.',
    service: 'The agent on the phone was rude and did not help.',
  },
  zh: {
    delivery: '订单一直没到，物流好几天没更新了。',
    quality: '收到的商品有破损。',
    billing: '同一个订单被扣了两次款。',
    service: '电话客服态度很差，问题没有解决。',
  },
};

export const PROMISE_TEXTS: Record<Language, readonly string[]> = {
  en: [
    'Call back with the delivery status',
    'Send a replacement item',
    'Refund the shipping fee',
    'Send a discount voucher',
  ],
  zh: ['回电告知物流进度', '补发一件新的商品', '退还运费', '发放一张优惠券'],
};

export const RESOLUTION_TEXTS: Record<Language, readonly string[]> = {
  en: ['Replacement sent', 'Refund issued', 'Apologised and explained', 'Duplicate charge reversed'],
  zh: ['已补发商品', '已退款', '已致歉并说明原因', '重复扣款已退回'],
};

export const CALL_TOPICS = [
  'order status',
  'product question',
  'delivery',
  'billing',
  'membership',
  'complaint follow-up',
];

export const FAMILY_NAMES = {
  zh: ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴'],
  en: ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Tan', 'Lim', 'Wong'],
};
export const GIVEN_NAMES = {
  zh: ['伟', '芳', '娜', '敏', '静', '磊', '洋', '婷', '杰', '丽'],
  en: ['Alex', 'Sam', 'Jamie', 'Chris', 'Taylor', 'Morgan', 'Lee', 'Robin'],
};
