// Which lexicon concepts feed which label. Built-in label sets say so explicitly (label sets define
// the same name differently: CheXpert's Edema includes vascular congestion and heart failure,
// ChestX-ray14's does not); custom labels find concepts by name and bring their own terms.
import { normaliseLabelName, sameLabel } from '../labelsets/names'
import type { LabelDefinition, LabelSetDefinition } from '../types'
import { CONCEPTS } from './concepts'
import type { LexiconConcept } from './types'

export const BUILTIN_LABEL_CONCEPTS: Record<string, Record<string, string[]>> = {
  chexpert14: {
    'No Finding': [],
    'Enlarged Cardiomediastinum': ['enlarged_cardiomediastinum'],
    Cardiomegaly: ['cardiomegaly'],
    'Lung Lesion': ['nodule', 'mass', 'lung_lesion'],
    'Lung Opacity': ['lung_opacity', 'infiltration'],
    Edema: ['edema', 'congestion'],
    Consolidation: ['consolidation'],
    Pneumonia: ['pneumonia', 'infection'],
    Atelectasis: ['atelectasis'],
    Pneumothorax: ['pneumothorax'],
    'Pleural Effusion': ['pleural_effusion'],
    'Pleural Other': ['pleural_thickening', 'pleural_other'],
    Fracture: ['fracture'],
    'Support Devices': ['support_devices']
  },
  chestxray14: {
    Atelectasis: ['atelectasis'],
    Cardiomegaly: ['cardiomegaly'],
    Effusion: ['pleural_effusion'],
    Infiltration: ['infiltration'],
    Mass: ['mass'],
    Nodule: ['nodule'],
    Pneumonia: ['pneumonia'],
    Pneumothorax: ['pneumothorax'],
    Consolidation: ['consolidation'],
    Edema: ['edema'],
    Emphysema: ['emphysema'],
    Fibrosis: ['fibrosis'],
    Pleural_Thickening: ['pleural_thickening'],
    Hernia: ['hernia']
  }
}

const byId = new Map(CONCEPTS.map((c) => [c.id, c]))

export function getConcept(id: string): LexiconConcept | undefined {
  return byId.get(id)
}

/**
 * The concepts a label draws on: the built-in table when the set is built in and the label is listed;
 * otherwise every concept whose names include the label (ignoring case, spaces, "_" and "-", synonyms).
 * Labels' own `terms` are added by the compiler.
 */
export function conceptsForLabel(set: Pick<LabelSetDefinition, 'slug'>, label: LabelDefinition): LexiconConcept[] {
  const table = BUILTIN_LABEL_CONCEPTS[set.slug]
  const listed = table?.[label.name]
  if (listed) return listed.map((id) => byId.get(id)!).filter(Boolean)
  const n = normaliseLabelName(label.name)
  return CONCEPTS.filter((c) => c.names.some((name) => normaliseLabelName(name) === n || sameLabel(name, label.name)))
}
