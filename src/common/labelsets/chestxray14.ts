// The 14 ChestX-ray14 labels (Wang et al., 2017), as coded for the NIH / Open-i collections.
import type { LabelSetDefinition } from '../types'

export const CHESTXRAY14: LabelSetDefinition = {
  slug: 'chestxray14',
  name: 'ChestX-ray14 (14 labels)',
  description:
    'The 14 ChestX-ray14 labels. Hedging "probable" by default: findings hedged as probable ("likely", ' +
    '"suspected", "borderline") are uncertain; merely possible ones ("may represent", "cannot be excluded", ' +
    '"not ruled out", "concerning for", "?") are left not mentioned with the hedge kept as evidence, as the ' +
    'MeSH coders of the IU/NIH collections labelled. Choose hedging "all" for the CheXpert convention.',
  aggregation: 'none',
  hedging: 'probable',
  labels: [
    { name: 'Atelectasis', description: 'Atelectasis or lung collapse.' },
    { name: 'Cardiomegaly', description: 'Enlarged heart / cardiac silhouette, including borderline.' },
    { name: 'Effusion', description: 'Pleural effusion.' },
    { name: 'Infiltration', description: 'Pulmonary infiltrate named as such.' },
    { name: 'Mass', description: 'Mass of the lung or thorax.' },
    { name: 'Nodule', description: 'Lung nodule(s), including calcified nodules.' },
    { name: 'Pneumonia', description: 'Pneumonia.' },
    { name: 'Pneumothorax', description: 'Pneumothorax (not hydropneumothorax).' },
    { name: 'Consolidation', description: 'Airspace consolidation.' },
    { name: 'Edema', description: 'Pulmonary edema.' },
    { name: 'Emphysema', description: 'Pulmonary emphysema (not subcutaneous or bullous emphysema).' },
    { name: 'Fibrosis', description: 'Pulmonary fibrosis (not cystic fibrosis).' },
    { name: 'Pleural_Thickening', description: 'Pleural thickening.' },
    { name: 'Hernia', description: 'Hiatal or diaphragmatic hernia.' }
  ]
}
